package dev.meshplane.api.importing;

import dev.meshplane.api.error.ApiException;
import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.api.validation.SpecRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects what an importer read, one resource at a time, and finishes the document: a resource given twice is
 * refused naming both documents, ACM members are resolved per the options ({@link AcmCertificates}), and what
 * the API would refuse of a spec ({@link SpecRules}, App Mesh's documented rules) is noted in the report: the
 * document stays as written, and the apply that takes it refuses it naming the same member.
 */
final class ImportAssembly {

    private final List<ApplyResource> resources = new ArrayList<>();
    private final List<ApplyPolicy> policies = new ArrayList<>();
    private final Map<ApplyResource, String> where = new IdentityHashMap<>();
    private final Map<ApplyPolicy, String> policyWhere = new IdentityHashMap<>();
    private final Map<String, String> seen = new HashMap<>();
    private final List<String> report = new ArrayList<>();
    // what report holds, for a constant-time check: a template may note thousands of skipped resources
    private final java.util.Set<String> reported = new java.util.HashSet<>();

    /** Adds a resource read from the document {@code where}. */
    void add(ApplyResource resource, String where) {
        String key = resource.kind() + "/" + resource.meshName() + "/" + resource.parentName() + "/" + resource.name();
        String earlier = seen.putIfAbsent(key, where);
        if (earlier != null) {
            throw new ImportException(where + ": " + resource.describe() + " is also given by " + earlier);
        }
        resources.add(resource);
        this.where.put(resource, where);
    }

    /** Adds an authorization policy read from the document {@code where}. */
    void add(ApplyPolicy policy, String where) {
        String earlier = seen.putIfAbsent(ApplyPolicy.KIND + "/" + policy.meshName() + "/" + policy.policyName(), where);
        if (earlier != null) {
            throw new ImportException(where + ": " + policy.describe() + " is also given by " + earlier);
        }
        policies.add(policy);
        policyWhere.put(policy, where);
    }

    /** Notes something read differently from how it was written; once, however often it was read. */
    void report(String line) {
        if (reported.add(line)) {
            report.add(line);
        }
    }

    /** The finished document and report. */
    ImportResult finish(ImportOptions options) {
        List<ApplyResource> resolved = AcmCertificates.resolve(resources, where, options, report);
        // resolved holds the resources in the order read, ACM replaced
        Map<ApplyResource, String> resolvedWhere = new IdentityHashMap<>();
        for (int i = 0; i < resolved.size(); i++) {
            ApplyResource resource = resolved.get(i);
            resolvedWhere.put(resource, where.get(resources.get(i)));
            try {
                SpecRules.check(AppMeshJson.mapper().treeToValue(resource.spec(), resource.kind().specType()));
            } catch (ApiException refused) {
                // SpecRules holds App Mesh's documented rules: App Mesh refused such a spec too, so the fix is in the file;
                // report(), because an importer's own result already carries this line and is joined here again
                report(where.get(resources.get(i)) + " (" + resource.describe() + "): App Mesh refuses this spec too, and"
                        + " so will the apply; change the document: spec." + refused.getMessage());
            }
        }
        ApplyDocument document = new ApplyDocument(resolved, policies);
        // the document sorts its items but keeps them as they are, so identity still finds each one's source
        List<String> sources = new ArrayList<>(document.resources().stream().map(resolvedWhere::get).toList());
        document.policies().forEach(policy -> sources.add(policyWhere.get(policy)));
        return new ImportResult(document, report, sources);
    }
}
