package dev.meshplane.api.validation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * RE2's program size of a regex, as {@code RE2(pattern).ProgramSize()} reports it, which Envoy compares with
 * its runtime's {@code re2.max_program_size.error_level} (source/common/common/regex.cc: "RE2 program size of
 * {} > max program size of {} set for the error level threshold") before refusing the whole resource.
 *
 * <p>The count is decided by RE2's pipeline, ported here from re2's own source rule by rule (the 2022-06-01
 * release that Debian 12 ships, checked against it by Re2ProgramSizeTest): re2/parse.cc (RE2's default
 * options: Perl syntax, UTF-8, ClassNL, OneLine; literal strings, alternation factoring, the {@code **} and
 * {@code {n,m}} checks), re2/regexp.cc RequiredPrefix (RE2::Init compiles the regex without a leading
 * {@code ^literal}), re2/simplify.cc (coalescing and repeat expansion), re2/compile.cc (UTF-8 byte-range
 * automata with suffix sharing, anchors, the unanchored {@code .*?} loop) and re2/prog.cc (Optimize and
 * Flatten, whose instruction count is the program size). Unicode classes ({@code \p{..}}) and case folding
 * of non-ASCII letters depend on RE2's Unicode tables, which are not ported, and groups nested over 1000
 * levels deep are not walked: such a regex gets {@link Unmeasurable}, and callers refuse it rather than guess.
 */
public final class Re2ProgramSize {

    /** RE2 refuses the regex: the message is RE2's error text and the part of the pattern it names. */
    public static final class SyntaxError extends IllegalArgumentException {
        SyntaxError(String message) {
            super(message);
        }
    }

    /** The regex uses syntax whose size depends on RE2's Unicode tables, or nests groups too deep to walk. */
    public static final class Unmeasurable extends IllegalArgumentException {
        Unmeasurable(String message) {
            super(message);
        }
    }

    private Re2ProgramSize() {
    }

    /**
     * The program size RE2 gives the pattern. Throws {@link SyntaxError} when RE2 refuses it (as Envoy then
     * refuses the resource) and {@link Unmeasurable} for Unicode classes and non-ASCII case folding.
     */
    public static int of(String pattern) {
        try {
            Node entire = new Parser(pattern).parse();
            Node suffix = requiredPrefixSuffix(entire);
            return new Compiler().compile(suffix != null ? suffix : entire);
        } catch (StackOverflowError e) {
            // the walks recurse once per level where RE2's keep an explicit stack; x?x?x?... coalesces into a
            // counted repeat that expands thousands of levels deep (and far over any program size limit)
            throw new Unmeasurable("it expands too deep to measure");
        }
    }

    // ---- the parse tree (re2/regexp.h) ----

    private enum Op {
        NO_MATCH, EMPTY_MATCH, LITERAL, LITERAL_STRING, CONCAT, ALTERNATE, STAR, PLUS, QUEST, REPEAT, CAPTURE,
        ANY_CHAR, ANY_BYTE, BEGIN_LINE, END_LINE, WORD_BOUNDARY, NO_WORD_BOUNDARY, BEGIN_TEXT, END_TEXT, CHAR_CLASS,
        LEFT_PAREN, VERTICAL_BAR
    }

    static final int FOLD_CASE = 1;
    static final int CLASS_NL = 1 << 2;
    static final int DOT_NL = 1 << 3;
    static final int ONE_LINE = 1 << 4;
    static final int NON_GREEDY = 1 << 6;
    static final int PERL_CLASSES = 1 << 7;
    static final int PERL_B = 1 << 8;
    static final int PERL_X = 1 << 9;
    static final int UNICODE_GROUPS = 1 << 10;
    static final int WAS_DOLLAR = 1 << 13;
    /** RE2::Options' defaults as RE2::Options::ParseFlags() builds them: ClassNL | LikePerl. */
    static final int RE2_DEFAULT = CLASS_NL | ONE_LINE | PERL_CLASSES | PERL_B | PERL_X | UNICODE_GROUPS;
    private static final int MAX_RUNE = 0x10FFFF;
    private static final int MAX_REPEAT = 1000;
    private static final int MAX_NESTING = 1000;

    private static final class Node {
        Op op;
        int flags;
        int rune;
        int[] runes = new int[0];
        List<Node> subs = new ArrayList<>();
        int min;
        int max;
        int cap;
        CharClass cc;
        Node down;

        Node(Op op, int flags) {
            this.op = op;
            this.flags = flags;
        }

        static Node literal(int rune, int flags) {
            Node n = new Node(Op.LITERAL, flags);
            n.rune = rune;
            return n;
        }

        static Node literalString(int[] runes, int flags) {
            if (runes.length == 0) {
                return new Node(Op.EMPTY_MATCH, flags);
            }
            if (runes.length == 1) {
                return literal(runes[0], flags);
            }
            Node n = new Node(Op.LITERAL_STRING, flags);
            n.runes = runes.clone();
            return n;
        }

        static Node of(Op op, int flags, List<Node> subs) {
            Node n = new Node(op, flags);
            n.subs = new ArrayList<>(subs);
            return n;
        }

        void become(Node other) {
            op = other.op;
            flags = other.flags;
            rune = other.rune;
            runes = other.runes;
            subs = other.subs;
            min = other.min;
            max = other.max;
            cap = other.cap;
            cc = other.cc;
        }

        boolean marker() {
            return op == Op.LEFT_PAREN || op == Op.VERTICAL_BAR;
        }
    }

    /** regexp.cc ConcatOrAlternate, without the 65535-operand split no App Mesh string can reach. */
    private static Node concatOrAlternate(Op op, List<Node> subs, int flags, boolean factor) {
        if (subs.size() == 1) {
            return subs.get(0);
        }
        if (subs.isEmpty()) {
            return new Node(op == Op.ALTERNATE ? Op.NO_MATCH : Op.EMPTY_MATCH, flags);
        }
        List<Node> list = new ArrayList<>(subs);
        if (op == Op.ALTERNATE && factor) {
            int n = factorAlternation(list, 0, list.size(), flags);
            list = new ArrayList<>(list.subList(0, n));
            if (list.size() == 1) {
                return list.get(0);
            }
        }
        return Node.of(op, flags, list);
    }

    private static Node concat(List<Node> subs, int flags) {
        return concatOrAlternate(Op.CONCAT, subs, flags, false);
    }

    /** regexp.cc StarPlusOrQuest: x** is x*, and any mix of *, + and ? with the same flags is *. */
    private static Node starPlusOrQuest(Op op, Node sub, int flags) {
        if (op == sub.op && flags == sub.flags) {
            return sub;
        }
        if ((sub.op == Op.STAR || sub.op == Op.PLUS || sub.op == Op.QUEST) && flags == sub.flags) {
            return sub.op == Op.STAR ? sub : Node.of(Op.STAR, flags, List.of(sub.subs.get(0)));
        }
        return Node.of(op, flags, List.of(sub));
    }

    private static boolean topEqual(Node a, Node b) {
        if (a.op != b.op) {
            return false;
        }
        return switch (a.op) {
            case END_TEXT -> ((a.flags ^ b.flags) & WAS_DOLLAR) == 0;
            case LITERAL -> a.rune == b.rune && ((a.flags ^ b.flags) & FOLD_CASE) == 0;
            case LITERAL_STRING -> Arrays.equals(a.runes, b.runes) && ((a.flags ^ b.flags) & FOLD_CASE) == 0;
            case ALTERNATE, CONCAT -> a.subs.size() == b.subs.size();
            case STAR, PLUS, QUEST -> ((a.flags ^ b.flags) & NON_GREEDY) == 0;
            case REPEAT -> ((a.flags ^ b.flags) & NON_GREEDY) == 0 && a.min == b.min && a.max == b.max;
            case CAPTURE -> a.cap == b.cap;
            case CHAR_CLASS -> a.cc.ranges.equals(b.cc.ranges);
            default -> true;
        };
    }

    private static boolean equal(Node a, Node b) {
        if (!topEqual(a, b)) {
            return false;
        }
        for (int i = 0; i < a.subs.size(); i++) {
            if (!equal(a.subs.get(i), b.subs.get(i))) {
                return false;
            }
        }
        return true;
    }

    // ---- character classes (regexp.cc CharClassBuilder) ----

    private static final class CharClass {
        final TreeMap<Integer, Integer> ranges = new TreeMap<>();

        /** Adds lo-hi, merging with ranges it overlaps or touches, as CharClassBuilder::AddRange does. */
        void add(int lo, int hi) {
            if (hi < lo) {
                return;
            }
            Map.Entry<Integer, Integer> before = ranges.floorEntry(lo);
            if (before != null && before.getValue() >= lo - 1) {
                lo = before.getKey();
                hi = Math.max(hi, before.getValue());
                ranges.remove(before.getKey());
            }
            Map.Entry<Integer, Integer> next;
            while ((next = ranges.ceilingEntry(lo)) != null && next.getKey() <= hi + 1) {
                hi = Math.max(hi, next.getValue());
                ranges.remove(next.getKey());
            }
            ranges.put(lo, hi);
        }

        boolean contains(int r) {
            Map.Entry<Integer, Integer> e = ranges.floorEntry(r);
            return e != null && e.getValue() >= r;
        }

        void negate() {
            TreeMap<Integer, Integer> old = new TreeMap<>(ranges);
            ranges.clear();
            int next = 0;
            for (Map.Entry<Integer, Integer> e : old.entrySet()) {
                if (e.getKey() > next) {
                    ranges.put(next, e.getKey() - 1);
                }
                next = e.getValue() + 1;
            }
            if (next <= MAX_RUNE) {
                ranges.put(next, MAX_RUNE);
            }
        }

        int size() {
            return ranges.size();
        }

        boolean empty() {
            return ranges.isEmpty();
        }

        boolean full() {
            return ranges.size() == 1 && ranges.firstKey() == 0 && ranges.firstEntry().getValue() == MAX_RUNE;
        }

        /** CharClass::FoldsASCII: every ASCII letter is in the class in both cases or in neither. */
        boolean foldsAscii() {
            for (int c = 'A'; c <= 'Z'; c++) {
                if (contains(c) != contains(c + 'a' - 'A')) {
                    return false;
                }
            }
            return true;
        }

        /** AddRangeFlags with ClassNL set (RE2's default), so a newline stays in. */
        void addFlags(int lo, int hi, int flags) {
            if ((flags & FOLD_CASE) != 0) {
                addFolded(lo, hi);
            } else {
                add(lo, hi);
            }
        }

        /** AddFoldedRange: the range and every rune its runes fold to (nothing when the range is already in). */
        void addFolded(int lo, int hi) {
            Map.Entry<Integer, Integer> holding = ranges.floorEntry(lo);
            if (holding != null && holding.getValue() >= hi) {
                return;
            }
            add(lo, hi);
            for (int r = lo; r <= hi; r++) {
                for (int other : CaseFold.orbit(r)) {
                    add(other, other);
                }
            }
        }
    }

    /** RE2's case folding orbits (unicode_casefold.cc), for ASCII letters; other letters are not measured. */
    private static final class CaseFold {
        static int[] orbit(int r) {
            if (r == 'k' || r == 'K' || r == 0x212A) {
                return new int[] {'K', 'k', 0x212A};
            }
            if (r == 's' || r == 'S' || r == 0x17F) {
                return new int[] {'S', 's', 0x17F};
            }
            if (r < 0x80) {
                if (r >= 'a' && r <= 'z') {
                    return new int[] {r, r - 'a' + 'A'};
                }
                if (r >= 'A' && r <= 'Z') {
                    return new int[] {r, r - 'A' + 'a'};
                }
                return new int[] {r};
            }
            if (Character.toLowerCase(r) != r || Character.toUpperCase(r) != r || Character.toTitleCase(r) != r
                    || Character.isLetter(r) && Character.isUpperCase(r) != Character.isLowerCase(r)) {
                throw new Unmeasurable("case-insensitive matching of the non-ASCII letter U+"
                        + Integer.toHexString(r).toUpperCase() + " depends on RE2's Unicode case folding tables; list its cases"
                        + " in a character class instead");
            }
            return new int[] {r};
        }

        /** CycleFoldRune: the next rune of the orbit. */
        static int cycle(int r) {
            int[] orbit = orbit(r);
            if (orbit.length == 1) {
                return r;
            }
            int[] sorted = orbit.clone();
            Arrays.sort(sorted);
            for (int o : sorted) {
                if (o > r) {
                    return o;
                }
            }
            return sorted[0];
        }
    }

    private static final int[][] PERL_D = {{0x30, 0x39}};
    private static final int[][] PERL_S = {{0x9, 0xa}, {0xc, 0xd}, {0x20, 0x20}};
    private static final int[][] PERL_W = {{0x30, 0x39}, {0x41, 0x5a}, {0x5f, 0x5f}, {0x61, 0x7a}};
    private static final Map<String, int[][]> POSIX = new HashMap<>();

    static {
        POSIX.put("alnum", new int[][] {{0x30, 0x39}, {0x41, 0x5a}, {0x61, 0x7a}});
        POSIX.put("alpha", new int[][] {{0x41, 0x5a}, {0x61, 0x7a}});
        POSIX.put("ascii", new int[][] {{0x0, 0x7f}});
        POSIX.put("blank", new int[][] {{0x9, 0x9}, {0x20, 0x20}});
        POSIX.put("cntrl", new int[][] {{0x0, 0x1f}, {0x7f, 0x7f}});
        POSIX.put("digit", PERL_D);
        POSIX.put("graph", new int[][] {{0x21, 0x7e}});
        POSIX.put("lower", new int[][] {{0x61, 0x7a}});
        POSIX.put("print", new int[][] {{0x20, 0x7e}});
        POSIX.put("punct", new int[][] {{0x21, 0x2f}, {0x3a, 0x40}, {0x5b, 0x60}, {0x7b, 0x7e}});
        POSIX.put("space", new int[][] {{0x9, 0xd}, {0x20, 0x20}});
        POSIX.put("upper", new int[][] {{0x41, 0x5a}});
        POSIX.put("word", PERL_W);
        POSIX.put("xdigit", new int[][] {{0x30, 0x39}, {0x41, 0x46}, {0x61, 0x66}});
    }

    /** AddUGroup: a group or its complement (with FoldCase, the complement of the folded group). */
    private static void addGroup(CharClass cc, int[][] group, boolean positive, int flags) {
        if (positive) {
            for (int[] r : group) {
                cc.addFlags(r[0], r[1], flags);
            }
            return;
        }
        if ((flags & FOLD_CASE) != 0) {
            CharClass folded = new CharClass();
            addGroup(folded, group, true, flags);
            folded.negate();
            folded.ranges.forEach(cc::add);
            return;
        }
        int next = 0;
        for (int[] r : group) {
            if (next < r[0]) {
                cc.addFlags(next, r[0] - 1, flags);
            }
            next = r[1] + 1;
        }
        if (next <= MAX_RUNE) {
            cc.addFlags(next, MAX_RUNE, flags);
        }
    }

    // ---- the parser (re2/parse.cc) ----

    private static final class Parser {
        private final int[] text;
        private final String whole;
        private int pos;
        private int flags = RE2_DEFAULT;
        private Node stacktop;
        private int ncap;
        private int depth;

        Parser(String pattern) {
            this.whole = pattern;
            this.text = pattern.codePoints().toArray();
            for (int cp : text) {
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    throw new SyntaxError("invalid UTF-8");
                }
            }
        }

        private SyntaxError error(String what, String arg) {
            return new SyntaxError(what + ": " + arg);
        }

        private String from(int start) {
            return new String(text, start, Math.max(0, Math.min(pos, text.length) - start));
        }

        private boolean at(int offset, int c) {
            return pos + offset < text.length && text[pos + offset] == c;
        }

        private int left() {
            return text.length - pos;
        }

        Node parse() {
            int lastUnaryStart = -1;
            while (pos < text.length) {
                int unaryStart = -1;
                int c = text[pos];
                switch (c) {
                    case '(' -> {
                        if (at(1, '?')) {
                            perlFlags();
                        } else {
                            doLeftParen();
                            pos++;
                        }
                    }
                    case '|' -> {
                        doVerticalBar();
                        pos++;
                    }
                    case ')' -> {
                        doRightParen();
                        pos++;
                    }
                    case '^' -> {
                        pushSimple((flags & ONE_LINE) != 0 ? Op.BEGIN_TEXT : Op.BEGIN_LINE);
                        pos++;
                    }
                    case '$' -> {
                        if ((flags & ONE_LINE) != 0) {
                            pushRegexp(new Node(Op.END_TEXT, flags | WAS_DOLLAR));
                        } else {
                            pushSimple(Op.END_LINE);
                        }
                        pos++;
                    }
                    case '.' -> {
                        pushDot();
                        pos++;
                    }
                    case '[' -> pushRegexp(charClass());
                    case '*', '+', '?' -> {
                        int start = pos;
                        pos++;
                        boolean nongreedy = false;
                        if (pos < text.length && text[pos] == '?') {
                            nongreedy = true;
                            pos++;
                        }
                        if (lastUnaryStart >= 0) {
                            throw error("bad repetition operator", new String(text, lastUnaryStart, pos - lastUnaryStart));
                        }
                        pushRepeatOp(c == '*' ? Op.STAR : c == '+' ? Op.PLUS : Op.QUEST, from(start), nongreedy);
                        unaryStart = start;
                    }
                    case '{' -> {
                        int start = pos;
                        int[] range = repetition();
                        if (range == null) {
                            pushLiteral('{');
                            pos++;
                            break;
                        }
                        boolean nongreedy = false;
                        if (pos < text.length && text[pos] == '?') {
                            nongreedy = true;
                            pos++;
                        }
                        if (lastUnaryStart >= 0) {
                            throw error("bad repetition operator", new String(text, lastUnaryStart, pos - lastUnaryStart));
                        }
                        pushRepetition(range[0], range[1], from(start), nongreedy);
                        unaryStart = start;
                    }
                    case '\\' -> backslash();
                    default -> {
                        pushLiteral(c);
                        pos++;
                    }
                }
                lastUnaryStart = unaryStart;
            }
            return doFinish();
        }

        private void backslash() {
            if (left() >= 2 && (text[pos + 1] == 'b' || text[pos + 1] == 'B')) {
                pushSimple(text[pos + 1] == 'b' ? Op.WORD_BOUNDARY : Op.NO_WORD_BOUNDARY);
                pos += 2;
                return;
            }
            if (left() >= 2) {
                switch (text[pos + 1]) {
                    case 'A' -> {
                        pushSimple(Op.BEGIN_TEXT);
                        pos += 2;
                        return;
                    }
                    case 'z' -> {
                        pushSimple(Op.END_TEXT);
                        pos += 2;
                        return;
                    }
                    case 'C' -> {
                        pushSimple(Op.ANY_BYTE);
                        pos += 2;
                        return;
                    }
                    case 'Q' -> {
                        pos += 2;
                        while (pos < text.length) {
                            if (left() >= 2 && text[pos] == '\\' && text[pos + 1] == 'E') {
                                pos += 2;
                                break;
                            }
                            pushLiteral(text[pos++]);
                        }
                        return;
                    }
                    case 'p', 'P' -> throw new Unmeasurable("the Unicode class '" + new String(text, pos, 2)
                            + "' depends on RE2's Unicode tables; use explicit character ranges");
                    default -> {
                    }
                }
            }
            int[][] perl = perlClass();
            if (perl != null) {
                Node re = new Node(Op.CHAR_CLASS, flags & ~FOLD_CASE);
                re.cc = new CharClass();
                addGroup(re.cc, perl, Character.isLowerCase(text[pos - 1]), flags);
                pushRegexp(re);
                return;
            }
            pushLiteral(escape());
        }

        private int[][] perlClass() {
            if (left() < 2 || text[pos] != '\\') {
                return null;
            }
            int[][] group = switch (text[pos + 1]) {
                case 'd', 'D' -> PERL_D;
                case 's', 'S' -> PERL_S;
                case 'w', 'W' -> PERL_W;
                default -> null;
            };
            if (group != null) {
                pos += 2;
            }
            return group;
        }

        /** ParseEscape: one escaped rune. */
        private int escape() {
            int begin = pos;
            if (left() == 1) {
                throw error("trailing \\", "");
            }
            pos++;
            int c = text[pos++];
            switch (c) {
                case '1', '2', '3', '4', '5', '6', '7' -> {
                    if (pos >= text.length || text[pos] < '0' || text[pos] > '7') {
                        throw error("invalid escape sequence", from(begin));
                    }
                    return octal(c);
                }
                case '0' -> {
                    return octal(c);
                }
                case 'x' -> {
                    if (pos >= text.length) {
                        throw error("invalid escape sequence", from(begin));
                    }
                    c = text[pos++];
                    if (c == '{') {
                        if (pos >= text.length) {
                            throw error("invalid escape sequence", from(begin));
                        }
                        c = text[pos++];
                        int nhex = 0;
                        int code = 0;
                        while (Character.digit(c, 16) >= 0 && c < 0x80) {
                            nhex++;
                            code = code * 16 + Character.digit(c, 16);
                            if (code > MAX_RUNE || pos >= text.length) {
                                throw error("invalid escape sequence", from(begin));
                            }
                            c = text[pos++];
                        }
                        if (c != '}' || nhex == 0) {
                            throw error("invalid escape sequence", from(begin));
                        }
                        return code;
                    }
                    if (pos >= text.length) {
                        throw error("invalid escape sequence", from(begin));
                    }
                    int c1 = text[pos++];
                    if (!hex(c) || !hex(c1)) {
                        throw error("invalid escape sequence", from(begin));
                    }
                    return Character.digit(c, 16) * 16 + Character.digit(c1, 16);
                }
                case 'n' -> {
                    return '\n';
                }
                case 'r' -> {
                    return '\r';
                }
                case 't' -> {
                    return '\t';
                }
                case 'a' -> {
                    return 7;
                }
                case 'f' -> {
                    return '\f';
                }
                case 'v' -> {
                    return 11;
                }
                default -> {
                    if (c < 0x80 && !Character.isLetterOrDigit(c)) {
                        return c;
                    }
                    throw error("invalid escape sequence", from(begin));
                }
            }
        }

        private static boolean hex(int c) {
            return c < 0x80 && Character.digit(c, 16) >= 0;
        }

        private int octal(int first) {
            int code = first - '0';
            if (pos < text.length && text[pos] >= '0' && text[pos] <= '7') {
                code = code * 8 + text[pos++] - '0';
                if (pos < text.length && text[pos] >= '0' && text[pos] <= '7') {
                    code = code * 8 + text[pos++] - '0';
                }
            }
            return code;
        }

        /** MaybeParseRepetition: {n}, {n,} or {n,m}, or null (then '{' is a literal). */
        private int[] repetition() {
            int p = pos + 1;
            int[] lo = integer(p);
            if (lo == null || lo[1] >= text.length) {
                return null;
            }
            p = lo[1];
            int hi;
            if (text[p] == ',') {
                p++;
                if (p >= text.length) {
                    return null;
                }
                if (text[p] == '}') {
                    hi = -1;
                } else {
                    int[] h = integer(p);
                    if (h == null) {
                        return null;
                    }
                    hi = h[0];
                    p = h[1];
                }
            } else {
                hi = lo[0];
            }
            if (p >= text.length || text[p] != '}') {
                return null;
            }
            pos = p + 1;
            return new int[] {lo[0], hi};
        }

        /** ParseInteger: decimal without a leading zero (but "0"), below 10^9; {value, next position}. */
        private int[] integer(int p) {
            if (p >= text.length || !digit(text[p])) {
                return null;
            }
            if (p + 1 < text.length && text[p] == '0' && digit(text[p + 1])) {
                return null;
            }
            int n = 0;
            while (p < text.length && digit(text[p])) {
                if (n >= 100_000_000) {
                    return null;
                }
                n = n * 10 + text[p++] - '0';
            }
            return new int[] {n, p};
        }

        private static boolean digit(int c) {
            return c >= '0' && c <= '9';
        }

        /** ParsePerlFlags: (?P<name>, (?flags), (?flags:. */
        private void perlFlags() {
            int start = pos;
            pos += 2;
            if (left() > 2 && text[pos] == 'P' && text[pos + 1] == '<') {
                int end = pos + 2;
                while (end < text.length && text[end] != '>') {
                    end++;
                }
                if (end >= text.length) {
                    throw error("invalid named capture group", new String(text, start, text.length - start));
                }
                String name = new String(text, pos + 2, end - pos - 2);
                if (name.isEmpty() || !name.codePoints().allMatch(Parser::wordRune)) {
                    throw error("invalid named capture group", new String(text, start, end + 1 - start));
                }
                doLeftParen();
                pos = end + 1;
                return;
            }
            boolean negated = false;
            boolean sawFlags = false;
            int nflags = flags;
            for (boolean done = false; !done; ) {
                if (pos >= text.length) {
                    throw error("invalid or unsupported Perl syntax", from(start));
                }
                int c = text[pos++];
                switch (c) {
                    case 'i' -> {
                        sawFlags = true;
                        nflags = negated ? nflags & ~FOLD_CASE : nflags | FOLD_CASE;
                    }
                    case 'm' -> {
                        sawFlags = true;
                        nflags = negated ? nflags | ONE_LINE : nflags & ~ONE_LINE;
                    }
                    case 's' -> {
                        sawFlags = true;
                        nflags = negated ? nflags & ~DOT_NL : nflags | DOT_NL;
                    }
                    case 'U' -> {
                        sawFlags = true;
                        nflags = negated ? nflags & ~NON_GREEDY : nflags | NON_GREEDY;
                    }
                    case '-' -> {
                        if (negated) {
                            throw error("invalid or unsupported Perl syntax", from(start));
                        }
                        negated = true;
                        sawFlags = false;
                    }
                    case ':' -> {
                        doLeftParenNoCapture();
                        done = true;
                    }
                    case ')' -> done = true;
                    default -> throw error("invalid or unsupported Perl syntax", from(start));
                }
            }
            if (negated && !sawFlags) {
                throw error("invalid or unsupported Perl syntax", from(start));
            }
            flags = nflags;
        }

        /** IsValidCaptureName: letters, marks, digits and connector punctuation (Lu Ll Lt Lm Lo Nl Mn Mc Nd Pc). */
        private static boolean wordRune(int r) {
            return switch (Character.getType(r)) {
                case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                        Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.LETTER_NUMBER,
                        Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                        Character.CONNECTOR_PUNCTUATION -> true;
                default -> false;
            };
        }

        /** ParseCharClass. */
        private Node charClass() {
            int start = pos;
            Node re = new Node(Op.CHAR_CLASS, flags & ~FOLD_CASE);
            re.cc = new CharClass();
            pos++;
            boolean negated = false;
            if (pos < text.length && text[pos] == '^') {
                pos++;
                negated = true;
            }
            boolean first = true;
            while (pos < text.length && (text[pos] != ']' || first)) {
                first = false;
                if (left() > 2 && text[pos] == '[' && text[pos + 1] == ':') {
                    int q = pos + 2;
                    while (q <= text.length - 2 && !(text[q] == ':' && text[q + 1] == ']')) {
                        q++;
                    }
                    if (q <= text.length - 2) {
                        String name = new String(text, pos, q + 2 - pos);
                        String inner = name.substring(2, name.length() - 2);
                        boolean positive = !inner.startsWith("^");
                        int[][] group = POSIX.get(positive ? inner : inner.substring(1));
                        if (group == null) {
                            throw error("invalid character class range", name);
                        }
                        pos = q + 2;
                        addGroup(re.cc, group, positive, flags);
                        continue;
                    }
                }
                if (left() > 2 && text[pos] == '\\' && (text[pos + 1] == 'p' || text[pos + 1] == 'P')) {
                    throw new Unmeasurable("the Unicode class '" + new String(text, pos, 2)
                            + "' depends on RE2's Unicode tables; use explicit character ranges");
                }
                int[][] perl = perlClass();
                if (perl != null) {
                    addGroup(re.cc, perl, Character.isLowerCase(text[pos - 1]), flags);
                    continue;
                }
                int rangeStart = pos;
                int lo = classChar(start);
                int hi = lo;
                if (left() >= 2 && text[pos] == '-' && text[pos + 1] != ']') {
                    pos++;
                    hi = classChar(start);
                    if (hi < lo) {
                        throw error("invalid character class range", from(rangeStart));
                    }
                }
                re.cc.addFlags(lo, hi, flags | CLASS_NL);
            }
            if (pos >= text.length) {
                throw error("missing closing ]", new String(text, start, text.length - start));
            }
            pos++;
            if (negated) {
                re.cc.negate();
            }
            return re;
        }

        private int classChar(int classStart) {
            if (pos >= text.length) {
                throw error("missing closing ]", new String(text, classStart, text.length - classStart));
            }
            return text[pos] == '\\' ? escape() : text[pos++];
        }

        // -- the stack (ParseState) --

        private void pushRegexp(Node re) {
            maybeConcatString(-1, 0);
            if (re.op == Op.CHAR_CLASS && re.cc != null) {
                if (re.cc.size() == 1 && re.cc.ranges.firstKey().equals(re.cc.ranges.firstEntry().getValue())) {
                    int r = re.cc.ranges.firstKey();
                    re = Node.literal(r, flags);
                } else if (re.cc.ranges.size() == 2 && runes(re.cc) == 2) {
                    int r = re.cc.ranges.firstKey();
                    if ('A' <= r && r <= 'Z' && re.cc.contains(r + 'a' - 'A')) {
                        re = Node.literal(r + 'a' - 'A', flags | FOLD_CASE);
                    }
                }
            }
            re.down = stacktop;
            stacktop = re;
        }

        private static long runes(CharClass cc) {
            long n = 0;
            for (Map.Entry<Integer, Integer> e : cc.ranges.entrySet()) {
                n += e.getValue() - e.getKey() + 1;
            }
            return n;
        }

        private void pushSimple(Op op) {
            pushRegexp(new Node(op, flags));
        }

        private void pushLiteral(int r) {
            if ((flags & FOLD_CASE) != 0 && CaseFold.cycle(r) != r) {
                Node re = new Node(Op.CHAR_CLASS, flags & ~FOLD_CASE);
                re.cc = new CharClass();
                int r1 = r;
                do {
                    re.cc.add(r, r);
                    r = CaseFold.cycle(r);
                } while (r != r1);
                pushRegexp(re);
                return;
            }
            if (maybeConcatString(r, flags)) {
                return;
            }
            pushRegexp(Node.literal(r, flags));
        }

        private void pushDot() {
            if ((flags & DOT_NL) != 0) {
                pushSimple(Op.ANY_CHAR);
                return;
            }
            Node re = new Node(Op.CHAR_CLASS, flags & ~FOLD_CASE);
            re.cc = new CharClass();
            re.cc.add(0, '\n' - 1);
            re.cc.add('\n' + 1, MAX_RUNE);
            pushRegexp(re);
        }

        private void pushRepeatOp(Op op, String opText, boolean nongreedy) {
            if (stacktop == null || stacktop.marker()) {
                throw error("missing argument to repetition operator", opText);
            }
            int fl = nongreedy ? flags ^ NON_GREEDY : flags;
            if (op == stacktop.op && fl == stacktop.flags) {
                return;
            }
            if ((stacktop.op == Op.STAR || stacktop.op == Op.PLUS || stacktop.op == Op.QUEST) && fl == stacktop.flags) {
                stacktop.op = Op.STAR;
                return;
            }
            Node re = Node.of(op, fl, List.of(stacktop));
            re.down = stacktop.down;
            stacktop.down = null;
            stacktop = re;
        }

        private void pushRepetition(int min, int max, String opText, boolean nongreedy) {
            if ((max != -1 && max < min) || min > MAX_REPEAT || max > MAX_REPEAT) {
                throw error("bad repetition operator", opText);
            }
            if (stacktop == null || stacktop.marker()) {
                throw error("missing argument to repetition operator", opText);
            }
            int fl = nongreedy ? flags ^ NON_GREEDY : flags;
            Node re = Node.of(Op.REPEAT, fl, List.of(stacktop));
            re.min = min;
            re.max = max;
            re.down = stacktop.down;
            stacktop.down = null;
            stacktop = re;
            if ((min >= 2 || max >= 2) && repetitionBudget(stacktop, MAX_REPEAT) == 0) {
                throw error("bad repetition operator", opText);
            }
        }

        /** RepetitionWalker: nested counted repetitions may not multiply past 1000. */
        private static int repetitionBudget(Node re, int parent) {
            int arg = parent;
            if (re.op == Op.REPEAT) {
                int m = re.max < 0 ? re.min : re.max;
                if (m > 0) {
                    arg /= m;
                }
            }
            int result = arg;
            for (Node sub : re.subs) {
                result = Math.min(result, repetitionBudget(sub, arg));
            }
            return result;
        }

        /** The measuring walks recurse once per group level: deeper nesting is refused, not a stack overflow. */
        private void nest() {
            if (++depth > MAX_NESTING) {
                throw new Unmeasurable("its groups nest deeper than " + MAX_NESTING + " levels");
            }
        }

        private void doLeftParen() {
            nest();
            Node re = new Node(Op.LEFT_PAREN, flags);
            re.cap = ++ncap;
            pushRegexp(re);
        }

        private void doLeftParenNoCapture() {
            nest();
            Node re = new Node(Op.LEFT_PAREN, flags);
            re.cap = -1;
            pushRegexp(re);
        }

        private void doVerticalBar() {
            maybeConcatString(-1, 0);
            doConcatenation();
            Node r1 = stacktop;
            Node r2 = r1 == null ? null : r1.down;
            if (r2 != null && r2.op == Op.VERTICAL_BAR) {
                Node r3 = r2.down;
                if (r3 != null && (r1.op == Op.ANY_CHAR || r3.op == Op.ANY_CHAR)) {
                    if (r3.op == Op.ANY_CHAR && (r1.op == Op.LITERAL || r1.op == Op.CHAR_CLASS || r1.op == Op.ANY_CHAR)) {
                        stacktop = r2;
                        return;
                    }
                    if (r1.op == Op.ANY_CHAR && (r3.op == Op.LITERAL || r3.op == Op.CHAR_CLASS || r3.op == Op.ANY_CHAR)) {
                        r1.down = r3.down;
                        r2.down = r1;
                        stacktop = r2;
                        return;
                    }
                }
                r1.down = r2.down;
                r2.down = r1;
                stacktop = r2;
                return;
            }
            pushSimple(Op.VERTICAL_BAR);
        }

        private void doRightParen() {
            doAlternation();
            Node r1 = stacktop;
            Node r2 = r1 == null ? null : r1.down;
            if (r2 == null || r2.op != Op.LEFT_PAREN) {
                throw error("unexpected )", whole);
            }
            stacktop = r2.down;
            flags = r2.flags;
            depth--;
            Node re;
            if (r2.cap > 0) {
                re = Node.of(Op.CAPTURE, r2.flags, List.of(r1));
                re.cap = r2.cap;
                r1.down = null;
            } else {
                re = r1;
            }
            pushRegexp(re);
        }

        private Node doFinish() {
            doAlternation();
            Node re = stacktop;
            if (re != null && re.down != null) {
                throw error("missing )", whole);
            }
            return re;
        }

        private void doCollapse(Op op) {
            List<Node> subs = new ArrayList<>();
            Node sub = stacktop;
            Node next = null;
            int count = 0;
            for (Node s = stacktop; s != null && !s.marker(); s = s.down) {
                next = s.down;
                count++;
            }
            if (stacktop != null && stacktop.down == next && count == 1) {
                return;
            }
            for (; sub != null && !sub.marker(); sub = next) {
                next = sub.down;
                sub.down = null;
                if (sub.op == op) {
                    for (int k = sub.subs.size() - 1; k >= 0; k--) {
                        subs.add(sub.subs.get(k));
                    }
                } else {
                    subs.add(sub);
                }
            }
            java.util.Collections.reverse(subs);
            Node re = concatOrAlternate(op, subs, flags, true);
            re.down = next;
            stacktop = re;
        }

        private void doConcatenation() {
            if (stacktop == null || stacktop.marker()) {
                pushRegexp(new Node(Op.EMPTY_MATCH, flags));
            }
            doCollapse(Op.CONCAT);
        }

        private void doAlternation() {
            doVerticalBar();
            stacktop = stacktop.down;
            doCollapse(Op.ALTERNATE);
        }

        private boolean maybeConcatString(int r, int rflags) {
            Node re1 = stacktop;
            Node re2 = re1 == null ? null : re1.down;
            if (re2 == null) {
                return false;
            }
            if (re1.op != Op.LITERAL && re1.op != Op.LITERAL_STRING || re2.op != Op.LITERAL && re2.op != Op.LITERAL_STRING) {
                return false;
            }
            if ((re1.flags & FOLD_CASE) != (re2.flags & FOLD_CASE)) {
                return false;
            }
            if (re2.op == Op.LITERAL) {
                re2.op = Op.LITERAL_STRING;
                re2.runes = new int[] {re2.rune};
            }
            int[] add = re1.op == Op.LITERAL ? new int[] {re1.rune} : re1.runes;
            int[] joined = Arrays.copyOf(re2.runes, re2.runes.length + add.length);
            System.arraycopy(add, 0, joined, re2.runes.length, add.length);
            re2.runes = joined;
            if (r >= 0) {
                re1.op = Op.LITERAL;
                re1.rune = r;
                re1.runes = new int[0];
                re1.flags = rflags;
                return true;
            }
            stacktop = re2;
            return false;
        }
    }

    // ---- alternation factoring (parse.cc FactorAlternation, rounds 1 to 3) ----

    private record Splice(Node prefix, int start, int count, int[] nsuffix) {
    }

    /** Factors list[start, start+n) in place; answers the new count there. */
    private static int factorAlternation(List<Node> list, int start, int n, int flags) {
        for (int round = 1; round <= 3; round++) {
            List<Splice> splices = switch (round) {
                case 1 -> round1(list, start, n);
                case 2 -> round2(list, start, n);
                default -> round3(list, start, n, flags);
            };
            if (splices.isEmpty()) {
                continue;
            }
            if (round < 3) {
                for (Splice s : splices) {
                    s.nsuffix[0] = factorAlternation(list, s.start, s.count, flags);
                }
            }
            List<Node> out = new ArrayList<>();
            int i = start;
            for (Splice s : splices) {
                while (i < s.start) {
                    out.add(list.get(i++));
                }
                if (round < 3) {
                    Node suffix = concatOrAlternate(Op.ALTERNATE,
                            list.subList(s.start, s.start + s.nsuffix[0]), flags, false);
                    out.add(concat(List.of(s.prefix, suffix), flags));
                } else {
                    out.add(s.prefix);
                }
                i = s.start + s.count;
            }
            while (i < start + n) {
                out.add(list.get(i++));
            }
            for (int k = 0; k < out.size(); k++) {
                list.set(start + k, out.get(k));
            }
            n = out.size();
        }
        return n;
    }

    private static List<Splice> round1(List<Node> list, int from, int nsub) {
        List<Splice> splices = new ArrayList<>();
        int start = 0;
        int[] rune = null;
        int nrune = 0;
        int runeFlags = 0;
        for (int i = 0; i <= nsub; i++) {
            int[] runeI = null;
            int flagsI = 0;
            if (i < nsub) {
                Node leaf = leadingLeaf(list.get(from + i));
                flagsI = leaf.flags & FOLD_CASE;
                runeI = leaf.op == Op.LITERAL ? new int[] {leaf.rune} : leaf.op == Op.LITERAL_STRING ? leaf.runes : new int[0];
                if (flagsI == runeFlags) {
                    int same = 0;
                    while (same < nrune && same < runeI.length && rune[same] == runeI[same]) {
                        same++;
                    }
                    if (same > 0) {
                        nrune = same;
                        continue;
                    }
                }
            }
            if (i - start >= 2) {
                Node prefix = Node.literalString(Arrays.copyOf(rune, nrune), runeFlags);
                for (int j = start; j < i; j++) {
                    removeLeadingString(list.get(from + j), nrune);
                }
                splices.add(new Splice(prefix, from + start, i - start, new int[1]));
            }
            if (i < nsub) {
                start = i;
                rune = runeI;
                nrune = runeI.length;
                runeFlags = flagsI;
            }
        }
        return splices;
    }

    private static Node leadingLeaf(Node re) {
        while (re.op == Op.CONCAT && !re.subs.isEmpty()) {
            re = re.subs.get(0);
        }
        return re;
    }

    private static void removeLeadingString(Node re, int n) {
        List<Node> stack = new ArrayList<>();
        while (re.op == Op.CONCAT) {
            if (stack.size() < 4) {
                stack.add(re);
            }
            re = re.subs.get(0);
        }
        if (re.op == Op.LITERAL) {
            re.rune = 0;
            re.op = Op.EMPTY_MATCH;
        } else if (re.op == Op.LITERAL_STRING) {
            if (n >= re.runes.length) {
                re.runes = new int[0];
                re.op = Op.EMPTY_MATCH;
            } else if (n == re.runes.length - 1) {
                re.rune = re.runes[re.runes.length - 1];
                re.runes = new int[0];
                re.op = Op.LITERAL;
            } else {
                re.runes = Arrays.copyOfRange(re.runes, n, re.runes.length);
            }
        }
        for (int d = stack.size() - 1; d >= 0; d--) {
            re = stack.get(d);
            if (re.subs.get(0).op == Op.EMPTY_MATCH) {
                switch (re.subs.size()) {
                    case 0, 1 -> {
                        re.subs = new ArrayList<>();
                        re.op = Op.EMPTY_MATCH;
                    }
                    case 2 -> re.become(re.subs.get(1));
                    default -> re.subs.remove(0);
                }
            }
        }
    }

    private static Node leadingRegexp(Node re) {
        if (re.op == Op.EMPTY_MATCH) {
            return null;
        }
        if (re.op == Op.CONCAT && re.subs.size() >= 2) {
            return re.subs.get(0).op == Op.EMPTY_MATCH ? null : re.subs.get(0);
        }
        return re;
    }

    private static Node removeLeadingRegexp(Node re) {
        if (re.op == Op.EMPTY_MATCH) {
            return re;
        }
        if (re.op == Op.CONCAT && re.subs.size() >= 2) {
            if (re.subs.get(0).op == Op.EMPTY_MATCH) {
                return re;
            }
            if (re.subs.size() == 2) {
                return re.subs.get(1);
            }
            re.subs.remove(0);
            return re;
        }
        return new Node(Op.EMPTY_MATCH, re.flags);
    }

    private static List<Splice> round2(List<Node> list, int from, int nsub) {
        List<Splice> splices = new ArrayList<>();
        int start = 0;
        Node first = null;
        for (int i = 0; i <= nsub; i++) {
            Node firstI = null;
            if (i < nsub) {
                firstI = leadingRegexp(list.get(from + i));
                if (first != null && factorable(first) && firstI != null && equal(first, firstI)) {
                    continue;
                }
            }
            if (i - start >= 2) {
                Node prefix = first;
                for (int j = start; j < i; j++) {
                    list.set(from + j, removeLeadingRegexp(list.get(from + j)));
                }
                splices.add(new Splice(prefix, from + start, i - start, new int[1]));
            }
            if (i < nsub) {
                start = i;
                first = firstI;
            }
        }
        return splices;
    }

    private static boolean factorable(Node first) {
        return switch (first.op) {
            case BEGIN_LINE, END_LINE, WORD_BOUNDARY, NO_WORD_BOUNDARY, BEGIN_TEXT, END_TEXT, CHAR_CLASS, ANY_CHAR,
                    ANY_BYTE -> true;
            case REPEAT -> first.min == first.max && switch (first.subs.get(0).op) {
                case LITERAL, CHAR_CLASS, ANY_CHAR, ANY_BYTE -> true;
                default -> false;
            };
            default -> false;
        };
    }

    private static List<Splice> round3(List<Node> list, int from, int nsub, int flags) {
        List<Splice> splices = new ArrayList<>();
        int start = 0;
        Node first = null;
        for (int i = 0; i <= nsub; i++) {
            Node firstI = null;
            if (i < nsub) {
                firstI = list.get(from + i);
                if (first != null && (first.op == Op.LITERAL || first.op == Op.CHAR_CLASS)
                        && (firstI.op == Op.LITERAL || firstI.op == Op.CHAR_CLASS)) {
                    continue;
                }
            }
            if (i - start >= 2) {
                CharClass cc = new CharClass();
                for (int j = start; j < i; j++) {
                    Node re = list.get(from + j);
                    if (re.op == Op.CHAR_CLASS) {
                        re.cc.ranges.forEach(cc::add);
                    } else {
                        cc.addFlags(re.rune, re.rune, re.flags | CLASS_NL);
                    }
                }
                Node re = new Node(Op.CHAR_CLASS, flags);
                re.cc = cc;
                splices.add(new Splice(re, from + start, i - start, new int[1]));
            }
            if (i < nsub) {
                start = i;
                first = firstI;
            }
        }
        return splices;
    }

    /** regexp.cc RequiredPrefix: ^ anchors then a literal are matched apart; RE2::Init compiles the rest. */
    private static Node requiredPrefixSuffix(Node re) {
        if (re.op != Op.CONCAT) {
            return null;
        }
        int i = 0;
        while (i < re.subs.size() && re.subs.get(i).op == Op.BEGIN_TEXT) {
            i++;
        }
        if (i == 0 || i >= re.subs.size()) {
            return null;
        }
        Op lead = re.subs.get(i).op;
        if (lead != Op.LITERAL && lead != Op.LITERAL_STRING) {
            return null;
        }
        i++;
        return i < re.subs.size() ? concat(re.subs.subList(i, re.subs.size()), re.flags) : new Node(Op.EMPTY_MATCH, re.flags);
    }

    // ---- simplification (re2/simplify.cc) ----

    private static Node coalesce(Node re) {
        if (re.subs.isEmpty()) {
            return re;
        }
        List<Node> kids = new ArrayList<>();
        boolean changed = false;
        for (Node sub : re.subs) {
            Node k = coalesce(sub);
            changed |= k != sub;
            kids.add(k);
        }
        if (re.op != Op.CONCAT) {
            return changed ? copyWith(re, kids) : re;
        }
        boolean can = false;
        for (int i = 0; i + 1 < kids.size(); i++) {
            can |= canCoalesce(kids.get(i), kids.get(i + 1));
        }
        if (!can) {
            return changed ? copyWith(re, kids) : re;
        }
        for (int i = 0; i + 1 < kids.size(); i++) {
            if (canCoalesce(kids.get(i), kids.get(i + 1))) {
                doCoalesce(kids, i);
            }
        }
        kids.removeIf(k -> k.op == Op.EMPTY_MATCH);
        return Node.of(Op.CONCAT, re.flags, kids);
    }

    private static Node copyWith(Node re, List<Node> kids) {
        Node n = Node.of(re.op, re.flags, kids);
        n.min = re.min;
        n.max = re.max;
        n.cap = re.cap;
        return n;
    }

    private static boolean repeatOp(Op op) {
        return op == Op.STAR || op == Op.PLUS || op == Op.QUEST || op == Op.REPEAT;
    }

    private static boolean canCoalesce(Node r1, Node r2) {
        if (!repeatOp(r1.op)) {
            return false;
        }
        Node s = r1.subs.get(0);
        if (s.op != Op.LITERAL && s.op != Op.CHAR_CLASS && s.op != Op.ANY_CHAR && s.op != Op.ANY_BYTE) {
            return false;
        }
        if (repeatOp(r2.op) && equal(s, r2.subs.get(0)) && (r1.flags & NON_GREEDY) == (r2.flags & NON_GREEDY)) {
            return true;
        }
        if (equal(s, r2)) {
            return true;
        }
        return s.op == Op.LITERAL && r2.op == Op.LITERAL_STRING && r2.runes[0] == s.rune
                && (s.flags & FOLD_CASE) == (r2.flags & FOLD_CASE);
    }

    private static void doCoalesce(List<Node> kids, int i) {
        Node r1 = kids.get(i);
        Node r2 = kids.get(i + 1);
        Node nre = Node.of(Op.REPEAT, r1.flags, List.of(r1.subs.get(0)));
        switch (r1.op) {
            case STAR -> {
                nre.min = 0;
                nre.max = -1;
            }
            case PLUS -> {
                nre.min = 1;
                nre.max = -1;
            }
            case QUEST -> {
                nre.min = 0;
                nre.max = 1;
            }
            default -> {
                nre.min = r1.min;
                nre.max = r1.max;
            }
        }
        switch (r2.op) {
            case STAR -> nre.max = -1;
            case PLUS -> {
                nre.min++;
                nre.max = -1;
            }
            case QUEST -> {
                if (nre.max != -1) {
                    nre.max++;
                }
            }
            case REPEAT -> {
                nre.min += r2.min;
                if (r2.max == -1) {
                    nre.max = -1;
                } else if (nre.max != -1) {
                    nre.max += r2.max;
                }
            }
            case LITERAL, CHAR_CLASS, ANY_CHAR, ANY_BYTE -> {
                nre.min++;
                if (nre.max != -1) {
                    nre.max++;
                }
            }
            case LITERAL_STRING -> {
                int r = r1.subs.get(0).rune;
                int n = 1;
                while (n < r2.runes.length && r2.runes[n] == r) {
                    n++;
                }
                nre.min += n;
                if (nre.max != -1) {
                    nre.max += n;
                }
                if (n < r2.runes.length) {
                    kids.set(i, nre);
                    kids.set(i + 1, Node.literalString(Arrays.copyOfRange(r2.runes, n, r2.runes.length), r2.flags));
                    return;
                }
            }
            default -> {
                return;
            }
        }
        kids.set(i, new Node(Op.EMPTY_MATCH, 0));
        kids.set(i + 1, nre);
    }

    private static Node simplify(Node re) {
        switch (re.op) {
            case CONCAT, ALTERNATE, CAPTURE -> {
                List<Node> kids = new ArrayList<>();
                boolean changed = false;
                for (Node sub : re.subs) {
                    Node k = simplify(sub);
                    changed |= k != sub;
                    kids.add(k);
                }
                return changed ? copyWith(re, kids) : re;
            }
            case STAR, PLUS, QUEST -> {
                Node sub = simplify(re.subs.get(0));
                if (sub.op == Op.EMPTY_MATCH) {
                    return sub;
                }
                if (sub == re.subs.get(0)) {
                    return re;
                }
                if (re.op == sub.op && re.flags == sub.flags) {
                    return sub;
                }
                return Node.of(re.op, re.flags, List.of(sub));
            }
            case REPEAT -> {
                Node sub = simplify(re.subs.get(0));
                return sub.op == Op.EMPTY_MATCH ? sub : simplifyRepeat(sub, re.min, re.max, re.flags);
            }
            case CHAR_CLASS -> {
                if (re.cc.empty()) {
                    return new Node(Op.NO_MATCH, re.flags);
                }
                return re.cc.full() ? new Node(Op.ANY_CHAR, re.flags) : re;
            }
            default -> {
                return re;
            }
        }
    }

    private static Node simplifyRepeat(Node re, int min, int max, int f) {
        if (max == -1) {
            if (min == 0) {
                return starPlusOrQuest(Op.STAR, re, f);
            }
            if (min == 1) {
                return starPlusOrQuest(Op.PLUS, re, f);
            }
            List<Node> subs = new ArrayList<>();
            for (int i = 0; i < min - 1; i++) {
                subs.add(re);
            }
            subs.add(starPlusOrQuest(Op.PLUS, re, f));
            return concat(subs, f);
        }
        if (min == 0 && max == 0) {
            return new Node(Op.EMPTY_MATCH, f);
        }
        if (min == 1 && max == 1) {
            return re;
        }
        Node nre = null;
        if (min > 0) {
            List<Node> subs = new ArrayList<>();
            for (int i = 0; i < min; i++) {
                subs.add(re);
            }
            nre = concat(subs, f);
        }
        if (max > min) {
            Node suf = starPlusOrQuest(Op.QUEST, re, f);
            for (int i = min + 1; i < max; i++) {
                suf = starPlusOrQuest(Op.QUEST, Node.of(Op.CONCAT, f, List.of(re, suf)), f);
            }
            nre = nre == null ? suf : Node.of(Op.CONCAT, f, List.of(nre, suf));
        }
        return nre == null ? new Node(Op.NO_MATCH, f) : nre;
    }

    // ---- the compiler (re2/compile.cc) and Prog::Optimize / Prog::Flatten (re2/prog.cc) ----

    private static final int FAIL = 0;
    private static final int ALT = 1;
    private static final int ALT_MATCH = 2;
    private static final int BYTE_RANGE = 3;
    private static final int CAPTURE = 4;
    private static final int EMPTY_WIDTH = 5;
    private static final int MATCH = 6;
    private static final int NOP = 7;

    private record Patch(int head, int tail) {
        static final Patch NULL = new Patch(0, 0);
    }

    private record Frag(int begin, Patch end, boolean nullable) {
        static final Frag NO_MATCH = new Frag(0, Patch.NULL, false);
    }

    private static final class Compiler {
        private int[] opcode = new int[64];
        private int[] out = new int[64];
        private int[] out1 = new int[64];
        private int[] lo = new int[64];
        private int[] hi = new int[64];
        private boolean[] fold = new boolean[64];
        private int ninst;
        private final Map<Long, Integer> runeCache = new HashMap<>();
        private Frag runeRange = Frag.NO_MATCH;
        private boolean failed;

        Compiler() {
            opcode[alloc(1)] = FAIL;
        }

        private int alloc(int n) {
            int id = ninst;
            ninst += n;
            if (ninst > opcode.length) {
                int size = Math.max(ninst, opcode.length * 2);
                opcode = Arrays.copyOf(opcode, size);
                out = Arrays.copyOf(out, size);
                out1 = Arrays.copyOf(out1, size);
                lo = Arrays.copyOf(lo, size);
                hi = Arrays.copyOf(hi, size);
                fold = Arrays.copyOf(fold, size);
            }
            for (int i = id; i < ninst; i++) {
                opcode[i] = 0;
                out[i] = 0;
                out1[i] = 0;
            }
            return id;
        }

        private void patch(Patch l, int val) {
            int p = l.head;
            while (p != 0) {
                int id = p >> 1;
                int next;
                if ((p & 1) != 0) {
                    next = out1[id];
                    out1[id] = val;
                } else {
                    next = out[id];
                    out[id] = val;
                }
                p = next;
            }
        }

        private Patch append(Patch l1, Patch l2) {
            if (l1.head == 0) {
                return l2;
            }
            if (l2.head == 0) {
                return l1;
            }
            int id = l1.tail >> 1;
            if ((l1.tail & 1) != 0) {
                out1[id] = l2.head;
            } else {
                out[id] = l2.head;
            }
            return new Patch(l1.head, l2.tail);
        }

        private static Patch mk(int p) {
            return new Patch(p, p);
        }

        private Frag cat(Frag a, Frag b) {
            if (a.begin == 0 || b.begin == 0) {
                return Frag.NO_MATCH;
            }
            if (opcode[a.begin] == NOP && a.end.head == (a.begin << 1) && out[a.begin] == 0) {
                patch(a.end, b.begin);
                return b;
            }
            patch(a.end, b.begin);
            return new Frag(a.begin, b.end, a.nullable && b.nullable);
        }

        private Frag alt(Frag a, Frag b) {
            if (a.begin == 0) {
                return b;
            }
            if (b.begin == 0) {
                return a;
            }
            int id = alloc(1);
            opcode[id] = ALT;
            out[id] = a.begin;
            out1[id] = b.begin;
            return new Frag(id, append(a.end, b.end), a.nullable || b.nullable);
        }

        private int loop(Frag a, boolean nongreedy) {
            int id = alloc(1);
            opcode[id] = ALT;
            if (nongreedy) {
                out1[id] = a.begin;
            } else {
                out[id] = a.begin;
            }
            return id;
        }

        private Frag plus(Frag a, boolean nongreedy) {
            int id = loop(a, nongreedy);
            Patch pl = mk(nongreedy ? id << 1 : (id << 1) | 1);
            patch(a.end, id);
            return new Frag(a.begin, pl, a.nullable);
        }

        private Frag star(Frag a, boolean nongreedy) {
            if (a.nullable) {
                return quest(plus(a, nongreedy), nongreedy);
            }
            int id = loop(a, nongreedy);
            Patch pl = mk(nongreedy ? id << 1 : (id << 1) | 1);
            patch(a.end, id);
            return new Frag(id, pl, true);
        }

        private Frag quest(Frag a, boolean nongreedy) {
            if (a.begin == 0) {
                return nop();
            }
            int id = loop(a, nongreedy);
            Patch pl = mk(nongreedy ? id << 1 : (id << 1) | 1);
            return new Frag(id, append(pl, a.end), true);
        }

        private Frag byteRange(int l, int h, boolean foldcase) {
            int id = alloc(1);
            opcode[id] = BYTE_RANGE;
            lo[id] = l;
            hi[id] = h;
            fold[id] = foldcase;
            return new Frag(id, mk(id << 1), false);
        }

        private Frag nop() {
            int id = alloc(1);
            opcode[id] = NOP;
            return new Frag(id, mk(id << 1), true);
        }

        private Frag match() {
            int id = alloc(1);
            opcode[id] = MATCH;
            return new Frag(id, Patch.NULL, false);
        }

        private Frag emptyWidth() {
            int id = alloc(1);
            opcode[id] = EMPTY_WIDTH;
            return new Frag(id, mk(id << 1), true);
        }

        private Frag capture(Frag a) {
            if (a.begin == 0) {
                return Frag.NO_MATCH;
            }
            int id = alloc(2);
            opcode[id] = CAPTURE;
            opcode[id + 1] = CAPTURE;
            out[id] = a.begin;
            patch(a.end, id + 1);
            return new Frag(id, mk((id + 1) << 1), a.nullable);
        }

        // -- UTF-8 rune ranges with shared suffixes --

        private int uncachedSuffix(int l, int h, boolean foldcase, int next) {
            Frag f = byteRange(l, h, foldcase);
            if (next != 0) {
                patch(f.end, next);
            } else {
                runeRange = new Frag(runeRange.begin, append(runeRange.end, f.end), runeRange.nullable);
            }
            return f.begin;
        }

        private static long cacheKey(int l, int h, boolean foldcase, int next) {
            return (long) next << 17 | (long) l << 9 | (long) h << 1 | (foldcase ? 1 : 0);
        }

        private int cachedSuffix(int l, int h, boolean foldcase, int next) {
            long key = cacheKey(l, h, foldcase, next);
            Integer id = runeCache.get(key);
            if (id != null) {
                return id;
            }
            int made = uncachedSuffix(l, h, foldcase, next);
            runeCache.put(key, made);
            return made;
        }

        private boolean isCachedSuffix(int id) {
            return runeCache.containsKey(cacheKey(lo[id], hi[id], fold[id], out[id]));
        }

        private void addSuffix(int id) {
            if (failed) {
                return;
            }
            if (runeRange.begin == 0) {
                runeRange = new Frag(id, runeRange.end, runeRange.nullable);
                return;
            }
            runeRange = new Frag(addSuffixRecursive(runeRange.begin, id), runeRange.end, runeRange.nullable);
        }

        private int addSuffixRecursive(int root, int id) {
            Frag f = findByteRange(root, id);
            if (f.begin == 0) {
                int alt = alloc(1);
                opcode[alt] = ALT;
                out[alt] = root;
                out1[alt] = id;
                return alt;
            }
            int br;
            if (f.end.head == 0) {
                br = root;
            } else if ((f.end.head & 1) != 0) {
                br = out1[f.begin];
            } else {
                br = out[f.begin];
            }
            if (isCachedSuffix(br)) {
                int byterange = alloc(1);
                opcode[byterange] = BYTE_RANGE;
                lo[byterange] = lo[br];
                hi[byterange] = hi[br];
                fold[byterange] = fold[br];
                out[byterange] = out[br];
                br = byterange;
                if (f.end.head == 0) {
                    root = br;
                } else if ((f.end.head & 1) != 0) {
                    out1[f.begin] = br;
                } else {
                    out[f.begin] = br;
                }
            }
            int next = out[id];
            if (!isCachedSuffix(id)) {
                opcode[id] = 0;
                out[id] = 0;
                out1[id] = 0;
                ninst--;
            }
            next = addSuffixRecursive(out[br], next);
            if (next == 0) {
                return 0;
            }
            out[br] = next;
            return root;
        }

        private boolean byteRangeEqual(int a, int b) {
            return lo[a] == lo[b] && hi[a] == hi[b] && fold[a] == fold[b];
        }

        private Frag findByteRange(int root, int id) {
            if (opcode[root] == BYTE_RANGE) {
                return byteRangeEqual(root, id) ? new Frag(root, Patch.NULL, false) : Frag.NO_MATCH;
            }
            // a class's ranges come sorted, so in a forward program only the last alternative can be shared
            if (opcode[root] == ALT && byteRangeEqual(out1[root], id)) {
                return new Frag(root, mk((root << 1) | 1), false);
            }
            return Frag.NO_MATCH;
        }

        private static int maxRune(int len) {
            int b = len == 1 ? 7 : 8 - (len + 1) + 6 * (len - 1);
            return (1 << b) - 1;
        }

        private void addRuneRange(int l, int h, boolean foldcase) {
            if (l > h) {
                return;
            }
            if (l == 0x80 && h == 0x10FFFF) {
                int cont1 = uncachedSuffix(0x80, 0xBF, false, 0);
                addSuffix(uncachedSuffix(0xC2, 0xDF, false, cont1));
                int cont2 = uncachedSuffix(0x80, 0xBF, false, cont1);
                addSuffix(uncachedSuffix(0xE0, 0xEF, false, cont2));
                int cont3 = uncachedSuffix(0x80, 0xBF, false, cont2);
                addSuffix(uncachedSuffix(0xF0, 0xF4, false, cont3));
                return;
            }
            for (int i = 1; i < 4; i++) {
                int max = maxRune(i);
                if (l <= max && max < h) {
                    addRuneRange(l, max, foldcase);
                    addRuneRange(max + 1, h, foldcase);
                    return;
                }
            }
            if (h < 0x80) {
                addSuffix(uncachedSuffix(l, h, foldcase, 0));
                return;
            }
            for (int i = 1; i < 4; i++) {
                int m = (1 << (6 * i)) - 1;
                if ((l & ~m) != (h & ~m)) {
                    if ((l & m) != 0) {
                        addRuneRange(l, l | m, foldcase);
                        addRuneRange((l | m) + 1, h, foldcase);
                        return;
                    }
                    if ((h & m) != m) {
                        addRuneRange(l, (h & ~m) - 1, foldcase);
                        addRuneRange(h & ~m, h, foldcase);
                        return;
                    }
                }
            }
            byte[] ulo = utf8(l);
            byte[] uhi = utf8(h);
            int n = ulo.length;
            int id = 0;
            for (int i = n - 1; i >= 0; i--) {
                int bl = ulo[i] & 0xFF;
                int bh = uhi[i] & 0xFF;
                if (i == n - 1 || (bl < bh && i != 0)) {
                    id = cachedSuffix(bl, bh, false, id);
                } else {
                    id = uncachedSuffix(bl, bh, false, id);
                }
            }
            addSuffix(id);
        }

        /** util/rune.cc runetochar: plain UTF-8 bit packing, surrogates included. */
        private static byte[] utf8(int c) {
            if (c < 0x80) {
                return new byte[] {(byte) c};
            }
            if (c < 0x800) {
                return new byte[] {(byte) (0xC0 | c >> 6), (byte) (0x80 | c & 0x3F)};
            }
            if (c < 0x10000) {
                return new byte[] {(byte) (0xE0 | c >> 12), (byte) (0x80 | c >> 6 & 0x3F), (byte) (0x80 | c & 0x3F)};
            }
            return new byte[] {(byte) (0xF0 | c >> 18), (byte) (0x80 | c >> 12 & 0x3F), (byte) (0x80 | c >> 6 & 0x3F),
                (byte) (0x80 | c & 0x3F)};
        }

        private Frag literal(int r, boolean foldcase) {
            if (r < 0x80) {
                return byteRange(r, r, foldcase);
            }
            byte[] buf = utf8(r);
            Frag f = byteRange(buf[0] & 0xFF, buf[0] & 0xFF, false);
            for (int i = 1; i < buf.length; i++) {
                f = cat(f, byteRange(buf[i] & 0xFF, buf[i] & 0xFF, false));
            }
            return f;
        }

        private Frag walk(Node re) {
            List<Frag> kids = new ArrayList<>();
            for (Node sub : re.subs) {
                kids.add(walk(sub));
            }
            if (failed) {
                return Frag.NO_MATCH;
            }
            boolean nongreedy = (re.flags & NON_GREEDY) != 0;
            boolean foldcase = (re.flags & FOLD_CASE) != 0;
            switch (re.op) {
                case NO_MATCH:
                    return Frag.NO_MATCH;
                case EMPTY_MATCH:
                    return nop();
                case CONCAT: {
                    Frag f = kids.get(0);
                    for (int i = 1; i < kids.size(); i++) {
                        f = cat(f, kids.get(i));
                    }
                    return f;
                }
                case ALTERNATE: {
                    Frag f = kids.get(0);
                    for (int i = 1; i < kids.size(); i++) {
                        f = alt(f, kids.get(i));
                    }
                    return f;
                }
                case STAR:
                    return star(kids.get(0), nongreedy);
                case PLUS:
                    return plus(kids.get(0), nongreedy);
                case QUEST:
                    return quest(kids.get(0), nongreedy);
                case LITERAL:
                    return literal(re.rune, foldcase);
                case LITERAL_STRING: {
                    Frag f = null;
                    for (int r : re.runes) {
                        Frag f1 = literal(r, foldcase);
                        f = f == null ? f1 : cat(f, f1);
                    }
                    return f == null ? nop() : f;
                }
                case ANY_CHAR:
                    beginRange();
                    addRuneRange(0, MAX_RUNE, false);
                    return runeRange;
                case ANY_BYTE:
                    return byteRange(0, 0xFF, false);
                case CHAR_CLASS: {
                    if (re.cc.empty()) {
                        failed = true;
                        return Frag.NO_MATCH;
                    }
                    boolean foldAscii = re.cc.foldsAscii();
                    beginRange();
                    for (Map.Entry<Integer, Integer> e : re.cc.ranges.entrySet()) {
                        int l = e.getKey();
                        int h = e.getValue();
                        if (foldAscii && 'A' <= l && h <= 'Z') {
                            continue;
                        }
                        boolean f = foldAscii;
                        if ((l <= 'A' && 'z' <= h) || h < 'A' || 'z' < l || ('Z' < l && h < 'a')) {
                            f = false;
                        }
                        addRuneRange(l, h, f);
                    }
                    return runeRange;
                }
                case CAPTURE:
                    return re.cap < 0 ? kids.get(0) : capture(kids.get(0));
                case BEGIN_LINE, END_LINE, BEGIN_TEXT, END_TEXT, WORD_BOUNDARY, NO_WORD_BOUNDARY:
                    return emptyWidth();
                default:
                    failed = true;
                    return Frag.NO_MATCH;
            }
        }

        private void beginRange() {
            runeCache.clear();
            runeRange = Frag.NO_MATCH;
        }

        /** IsAnchorStart / IsAnchorEnd: a leading \A or trailing \z, up to four levels down, is dropped. */
        private static Node anchor(Node re, int depth, boolean start) {
            if (re == null || depth >= 4) {
                return null;
            }
            switch (re.op) {
                case CONCAT -> {
                    if (!re.subs.isEmpty()) {
                        int at = start ? 0 : re.subs.size() - 1;
                        Node sub = anchor(re.subs.get(at), depth + 1, start);
                        if (sub != null) {
                            List<Node> copy = new ArrayList<>(re.subs);
                            copy.set(at, sub);
                            return concat(copy, re.flags);
                        }
                    }
                }
                case CAPTURE -> {
                    Node sub = anchor(re.subs.get(0), depth + 1, start);
                    if (sub != null) {
                        Node n = Node.of(Op.CAPTURE, re.flags, List.of(sub));
                        n.cap = re.cap;
                        return n;
                    }
                }
                case BEGIN_TEXT -> {
                    if (start) {
                        return new Node(Op.EMPTY_MATCH, re.flags);
                    }
                }
                case END_TEXT -> {
                    if (!start) {
                        return new Node(Op.EMPTY_MATCH, re.flags);
                    }
                }
                default -> {
                }
            }
            return null;
        }

        int compile(Node re) {
            Node sre = simplify(coalesce(re));
            Node anchoredStart = anchor(sre, 0, true);
            boolean isAnchorStart = anchoredStart != null;
            if (isAnchorStart) {
                sre = anchoredStart;
            }
            Node anchoredEnd = anchor(sre, 0, false);
            if (anchoredEnd != null) {
                sre = anchoredEnd;
            }
            Frag all = walk(sre);
            if (failed) {
                throw new SyntaxError("pattern too large - compile failed");
            }
            all = cat(all, match());
            int start = all.begin;
            if (!isAnchorStart) {
                all = cat(star(byteRange(0x00, 0xFF, false), true), all);
            }
            int startUnanchored = all.begin;
            if (start == 0 && startUnanchored == 0) {
                return 1;
            }
            optimize(start);
            return flattenedSize(start, startUnanchored);
        }

        private int skipNops(int j) {
            while (j != 0 && opcode[j] == NOP) {
                j = out[j];
            }
            return j;
        }

        private void optimize(int start) {
            Set<Integer> q = new LinkedHashSet<>();
            List<Integer> order = new ArrayList<>();
            enqueue(q, order, start);
            for (int k = 0; k < order.size(); k++) {
                int id = order.get(k);
                out[id] = skipNops(out[id]);
                enqueue(q, order, out[id]);
                if (opcode[id] == ALT) {
                    out1[id] = skipNops(out1[id]);
                    enqueue(q, order, out1[id]);
                }
            }
            q.clear();
            order.clear();
            enqueue(q, order, start);
            for (int k = 0; k < order.size(); k++) {
                int id = order.get(k);
                enqueue(q, order, out[id]);
                if (opcode[id] == ALT) {
                    enqueue(q, order, out1[id]);
                    int j = out[id];
                    int kk = out1[id];
                    if (opcode[j] == BYTE_RANGE && out[j] == id && lo[j] == 0 && hi[j] == 0xFF && isMatch(kk)
                            || isMatch(j) && opcode[kk] == BYTE_RANGE && out[kk] == id && lo[kk] == 0 && hi[kk] == 0xFF) {
                        opcode[id] = ALT_MATCH;
                    }
                }
            }
        }

        private static void enqueue(Set<Integer> q, List<Integer> order, int id) {
            if (id != 0 && q.add(id)) {
                order.add(id);
            }
        }

        private boolean isMatch(int id) {
            for (;;) {
                switch (opcode[id]) {
                    case CAPTURE, NOP -> id = out[id];
                    case MATCH -> {
                        return true;
                    }
                    default -> {
                        return false;
                    }
                }
            }
        }

        /** Prog::Flatten's instruction count: one list per root, each instruction once per list. */
        private int flattenedSize(int start, int startUnanchored) {
            Map<Integer, Integer> rootmap = new LinkedHashMap<>();
            Map<Integer, List<Integer>> preds = new HashMap<>();
            rootmap.put(0, 0);
            rootmap.putIfAbsent(startUnanchored, rootmap.size());
            rootmap.putIfAbsent(start, rootmap.size());
            Set<Integer> reachable = new LinkedHashSet<>();
            List<Integer> stk = new ArrayList<>();
            stk.add(startUnanchored);
            while (!stk.isEmpty()) {
                int id = stk.remove(stk.size() - 1);
                while (reachable.add(id)) {
                    int op = opcode[id];
                    if (op == ALT || op == ALT_MATCH) {
                        preds.computeIfAbsent(out[id], x -> new ArrayList<>()).add(id);
                        preds.computeIfAbsent(out1[id], x -> new ArrayList<>()).add(id);
                        stk.add(out1[id]);
                        id = out[id];
                    } else if (op == BYTE_RANGE || op == CAPTURE || op == EMPTY_WIDTH) {
                        rootmap.putIfAbsent(out[id], rootmap.size());
                        id = out[id];
                    } else if (op == NOP) {
                        id = out[id];
                    } else {
                        break;
                    }
                }
            }
            List<Integer> sorted = new ArrayList<>(rootmap.keySet());
            sorted.sort(null);
            for (int i = sorted.size() - 1; i > 0; i--) {
                int root = sorted.get(i);
                if (root != startUnanchored && root != start) {
                    markDominator(root, rootmap, preds);
                }
            }
            int size = 0;
            for (int root : rootmap.keySet()) {
                size += emitList(root, rootmap);
            }
            return size;
        }

        private void markDominator(int root, Map<Integer, Integer> rootmap, Map<Integer, List<Integer>> preds) {
            Set<Integer> reachable = new LinkedHashSet<>();
            List<Integer> stk = new ArrayList<>();
            stk.add(root);
            while (!stk.isEmpty()) {
                int id = stk.remove(stk.size() - 1);
                while (reachable.add(id)) {
                    if (id != root && rootmap.containsKey(id)) {
                        break;
                    }
                    int op = opcode[id];
                    if (op == ALT || op == ALT_MATCH) {
                        stk.add(out1[id]);
                        id = out[id];
                    } else if (op == NOP) {
                        id = out[id];
                    } else {
                        break;
                    }
                }
            }
            for (int id : reachable) {
                for (int pred : preds.getOrDefault(id, List.of())) {
                    if (!reachable.contains(pred)) {
                        rootmap.putIfAbsent(id, rootmap.size());
                    }
                }
            }
        }

        private int emitList(int root, Map<Integer, Integer> rootmap) {
            int emitted = 0;
            Set<Integer> reachable = new java.util.HashSet<>();
            List<Integer> stk = new ArrayList<>();
            stk.add(root);
            while (!stk.isEmpty()) {
                int id = stk.remove(stk.size() - 1);
                while (reachable.add(id)) {
                    if (id != root && rootmap.containsKey(id)) {
                        emitted++;
                        break;
                    }
                    int op = opcode[id];
                    if (op == ALT_MATCH) {
                        emitted++;
                    }
                    if (op == ALT || op == ALT_MATCH) {
                        stk.add(out1[id]);
                        id = out[id];
                    } else if (op == NOP) {
                        id = out[id];
                    } else {
                        emitted++;
                        break;
                    }
                }
            }
            return emitted;
        }
    }
}
