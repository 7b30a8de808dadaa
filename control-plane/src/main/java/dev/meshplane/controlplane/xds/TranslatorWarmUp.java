package dev.meshplane.controlplane.xds;

import dev.meshplane.api.json.AppMeshJson;
import dev.meshplane.snapshot.EnvoyValidator;
import dev.meshplane.snapshot.MeshTranslator;
import dev.meshplane.snapshot.MeshView;
import dev.meshplane.snapshot.ProxyId;
import dev.meshplane.snapshot.ProxyResources;
import dev.meshplane.snapshot.SyntheticMesh;
import dev.meshplane.snapshot.TranslationMemo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs translation, validation and hashing over a generated mesh once the server is up, on a
 * low-priority background thread, so that the first proxies to connect after a start (often all of
 * them at once, after a restart) are not served by code the JIT has not compiled yet: measured, that
 * first translation is about 40 times slower than the same work warm. Off with
 * {@code meshplane.xds.warm-up=false}.
 */
@Component
class TranslatorWarmUp {

    private static final Logger log = LoggerFactory.getLogger(TranslatorWarmUp.class);
    private static final int NODES = 200;
    private static final int ROUNDS = 15;

    private final boolean enabled;

    TranslatorWarmUp(XdsProperties properties) {
        this.enabled = properties.warmUp();
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        if (!enabled) {
            return;
        }
        Thread thread = new Thread(this::warmUp, "meshplane-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private void warmUp() {
        long start = System.nanoTime();
        MeshView view = SyntheticMesh.of(NODES);
        for (int round = 0; round < ROUNDS; round++) {
            // the specs' way in: stored JSON read back into records, as the mesh loader does
            view.virtualNodes().values().forEach(spec -> AppMeshJson.mapper().readValue(
                    AppMeshJson.mapper().writeValueAsString(spec), spec.getClass()));
            view.routes().values().forEach(routes -> routes.values().forEach(spec -> AppMeshJson.mapper().readValue(
                    AppMeshJson.mapper().writeValueAsString(spec), spec.getClass())));
            TranslationMemo memo = new TranslationMemo(view);
            for (String node : view.virtualNodes().keySet()) {
                ProxyResources resources = MeshTranslator.translate(memo, new ProxyId(view.mesh(), ProxyId.Kind.SIDECAR, node));
                EnvoyValidator.validate(resources);
                ProxySnapshot.of(resources);
            }
        }
        log.debug("Translator warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
}
