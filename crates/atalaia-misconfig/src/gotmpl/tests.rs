//! Go `text/template` semantics, edge cases and malformed templates.

use std::collections::BTreeMap;

use super::*;

fn data() -> Value {
    let src = "name: web\nport: 8080\nbig: 1000000\nempty: ''\nzero: 0\nlist: [a, b, c]\nmap: {z: 1, a: 2, m: 3}\nnested: {inner: {v: deep}}\nflag: false\n";
    let doc = crate::yaml::parse_documents(src).unwrap().remove(0);
    let values = Value::from_yaml(&doc, true);
    let mut root = BTreeMap::new();
    root.insert("Values".to_string(), values);
    Value::map(root)
}

fn r(src: &str) -> String {
    render_str(src, &data()).unwrap_or_else(|e| panic!("{src:?}: {e}"))
}

fn err(src: &str) -> TemplateError {
    render_str(src, &data()).expect_err(src)
}

#[test]
fn whitespace_trimming() {
    assert_eq!(r("a  {{- \"b\" -}}  \n c"), "abc");
    assert_eq!(r("a\n  {{- if true }}\n  x\n  {{- end }}\nb"), "a\n  x\nb");
    assert_eq!(r("{{- /* comment */ -}}\n\nx"), "x");
    assert_eq!(r("a {{/* c */}} b"), "a  b");
    assert_eq!(r("{{ -3 }}"), "-3");
    assert_eq!(r("x\n{{- \"\" }}\ny"), "x\ny");
}

#[test]
fn printing_rules() {
    assert_eq!(r("{{ .Values.port }}"), "8080");
    assert_eq!(r("{{ .Values.big }}"), "1e+06");
    assert_eq!(r("{{ .Values.missing }}"), "");
    assert_eq!(r("{{ .Values.list }}"), "[a b c]");
    assert_eq!(r("{{ .Values.map }}"), "map[a:2 m:3 z:1]");
    assert_eq!(r("{{ print 1 2 \"a\" 3 }}"), "1 2a3");
    assert_eq!(r("{{ 'a' }}"), "97");
    assert_eq!(r("{{ \"q\\\"\\n\" | quote }}"), "\"q\\\"\\n\"");
}

#[test]
fn printf_verbs() {
    assert_eq!(
        r("{{ printf \"%s-%d-%v-%q\" \"a\" 3 .Values.list \"x\" }}"),
        "a-3-[a b c]-\"x\""
    );
    assert_eq!(
        r("{{ printf \"%5s|%-3d|%05d|%.2f|%x\" \"ab\" 7 42 3.14159 255 }}"),
        "   ab|7  |00042|3.14|ff"
    );
    assert_eq!(r("{{ printf \"%d\" .Values.port }}"), "%!d(float64=8080)");
    assert_eq!(r("{{ printf \"%s %s\" \"a\" }}"), "a %!s(MISSING)");
    assert_eq!(r("{{ printf \"%v %t %%\" nil true }}"), "<nil> true %");
}

#[test]
fn nil_handling() {
    assert!(matches!(
        err("{{ .Values.missing.deeper }}"),
        TemplateError::Exec { .. }
    ));
    assert_eq!(r("{{ if .Values.missing }}y{{ else }}n{{ end }}"), "n");
    assert_eq!(r("{{ default \"d\" .Values.missing }}"), "d");
    assert_eq!(r("{{ default \"d\" .Values.zero }}"), "d");
    assert_eq!(r("{{ .Values.missing | default \"x\" | upper }}"), "X");
    assert_eq!(r("{{ index .Values.map \"nope\" }}"), "");
    // Go: a nil out of a parenthesised pipeline or a variable is an invalid value, whose
    // fields are nil (charts write `(.Values.global).x` for this); a nil found in the same
    // chain is a nil interface, and a field of it is an error.
    assert_eq!(r("{{ (.Values.missing).deeper }}"), "");
    assert_eq!(r("{{ $m := .Values.missing }}{{ $m.deeper }}"), "");
    assert!(matches!(
        err("{{ .Values.nested.nope.v }}"),
        TemplateError::Exec { .. }
    ));
    assert!(matches!(
        err("{{ .Values.name.field }}"),
        TemplateError::Exec { .. }
    ));
    assert_eq!(
        r("{{ empty .Values.empty }}{{ empty .Values.flag }}{{ empty .Values.name }}"),
        "truetruefalse"
    );
}

#[test]
fn range_semantics() {
    assert_eq!(
        r("{{ range $k, $v := .Values.map }}{{ $k }}={{ $v }};{{ end }}"),
        "a=2;m=3;z=1;"
    );
    assert_eq!(
        r("{{ range $i, $e := .Values.list }}{{ $i }}{{ $e }}{{ end }}"),
        "0a1b2c"
    );
    assert_eq!(
        r("{{ range .Values.missing }}x{{ else }}none{{ end }}"),
        "none"
    );
    assert_eq!(r("{{ range .Values.list }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ if eq . \"c\" }}{{ break }}{{ end }}{{ . }}{{ end }}"), "a");
    assert_eq!(r("{{ range 3 }}{{ . }}{{ end }}"), "012");
    assert_eq!(r("{{ range $x := until 3 }}{{ $x }}{{ end }}"), "012");
    assert!(matches!(
        err("{{ range \"abc\" }}{{ end }}"),
        TemplateError::Exec { .. }
    ));
}

#[test]
fn with_and_else() {
    assert_eq!(
        r("{{ with .Values.nested.inner }}{{ .v }}{{ end }}"),
        "deep"
    );
    assert_eq!(
        r("{{ with .Values.empty }}x{{ else }}{{ .Values.name }}{{ end }}"),
        "web"
    );
    assert_eq!(
        r("{{ with .Values.empty }}x{{ else with .Values.name }}{{ . }}{{ end }}"),
        "web"
    );
    assert_eq!(
        r("{{ if .Values.flag }}a{{ else if .Values.zero }}b{{ else }}c{{ end }}"),
        "c"
    );
}

#[test]
fn variable_scoping() {
    assert_eq!(
        r("{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}"),
        "21"
    );
    assert_eq!(
        r("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}"),
        "2"
    );
    assert_eq!(
        r("{{ with .Values.nested }}{{ $.Values.name }}{{ end }}"),
        "web"
    );
    assert!(matches!(
        err("{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}"),
        TemplateError::Exec { .. }
    ));
    assert!(matches!(err("{{ $u = 1 }}"), TemplateError::Exec { .. }));
}

#[test]
fn define_template_include_tpl() {
    let src = "{{- define \"n\" }}[{{ . }}]{{ end -}}\n{{ template \"n\" \"a\" }}{{ include \"n\" \"b\" | upper }}{{ tpl \"{{ .Values.name }}\" $ }}";
    assert_eq!(r(src), "[a][B]web");
    assert_eq!(r("{{ block \"b\" . }}default{{ end }}"), "default");
    assert!(matches!(
        err("{{ include \"nope\" . }}"),
        TemplateError::Exec { .. }
    ));
}

#[test]
fn sprig_functions() {
    assert_eq!(r("{{ $d := dict \"a\" 1 }}{{ $_ := set $d \"b\" 2 }}{{ keys $d | sortAlpha | join \",\" }}"), "a,b");
    assert_eq!(r("{{ $d := dict \"a\" (dict \"x\" 1) }}{{ $m := merge $d (dict \"a\" (dict \"y\" 2) \"b\" 3) }}{{ toJson $d }}"), r#"{"a":{"x":1,"y":2},"b":3}"#);
    assert_eq!(
        r("{{ mergeOverwrite (dict \"a\" 1) (dict \"a\" 2) | toJson }}"),
        r#"{"a":2}"#
    );
    assert_eq!(
        r("{{ \"abcdef\" | trunc 3 }}{{ trunc -2 \"abcdef\" }}"),
        "abcef"
    );
    assert_eq!(r("{{ \"a-b-\" | trimSuffix \"-\" }}"), "a-b");
    assert_eq!(
        r("{{ toYaml .Values.nested | nindent 2 }}"),
        "\n  inner:\n    v: deep"
    );
    assert_eq!(r("{{ (fromYaml \"a: [1, 2]\").a | len }}"), "2");
    assert_eq!(r("{{ semverCompare \">=1.19-0\" \"v1.29.0\" }}"), "true");
    assert_eq!(r("{{ ternary \"y\" \"n\" (gt 3 2) }}"), "y");
    assert_eq!(
        r("{{ regexReplaceAll \"([a-z]+)-([0-9]+)\" \"web-12\" \"${2}x${1}\" }}"),
        "12xweb"
    );
    assert_eq!(r("{{ \"hello\" | b64enc | b64dec }}"), "hello");
    assert_eq!(r("{{ without (list 1 2 2 3 | uniq) 3 | toJson }}"), "[1,2]");
    assert_eq!(
        r("{{ splitList \",\" \"a,b\" | last }}{{ (split \",\" \"x,y\")._1 }}"),
        "by"
    );
    assert_eq!(r("{{ kindIs \"map\" .Values.map }}{{ typeIs \"float64\" .Values.port }}{{ kindOf \"s\" }}"), "truetruestring");
    assert_eq!(
        r("{{ add 1 2 3 }}{{ sub 5 2 }}{{ mul 2 3 }}{{ div 7 2 }}{{ mod 7 2 }}{{ max 1 9 }}"),
        "636319"
    );
    assert_eq!(
        r("{{ int \"42\" }}{{ atoi \"x\" }}{{ toString 1.5 }}"),
        "4201.5"
    );
    assert_eq!(r("{{ sha256sum \"a\" | trunc 8 }}"), "ca978112");
    assert_eq!(r("{{ randAlphaNum 5 | len }}"), "5");
    assert_eq!(
        r("{{ coalesce .Values.missing \"\" \"c\" }}{{ hasKey .Values.map \"a\" }}"),
        "ctrue"
    );
    assert_eq!(
        r("{{ and 1 0 }}{{ or 0 \"\" \"x\" }}{{ and .Values.missing .Values.missing.x }}"),
        "0x"
    );
    assert_eq!(
        r("{{ \"a_b-c\" | camelcase }} {{ \"FooBar\" | kebabcase }} {{ \"FooBar\" | snakecase }}"),
        "ABC foo-bar foo_bar"
    );
    assert_eq!(r("{{ pluck \"a\" (dict \"a\" 1) (dict \"b\" 2) | toJson }}{{ pick (dict \"a\" 1 \"b\" 2) \"b\" | toJson }}"), r#"[1]{"b":2}"#);
    assert_eq!(r("{{ indent 2 \"a\\nb\" }}"), "  a\n  b");
    assert_eq!(r("{{ now | date \"2006-01-02\" }}"), "2024-01-01");
}

#[test]
fn failures_are_errors() {
    assert_eq!(
        err("{{ fail \"boom\" }}"),
        TemplateError::Fail("boom".into())
    );
    assert_eq!(
        err("{{ required \"need x\" .Values.missing }}"),
        TemplateError::Fail("need x".into())
    );
    assert!(matches!(
        err("{{ nosuchfunc 1 }}"),
        TemplateError::UnknownFunction { .. }
    ));
}

#[test]
fn malformed_templates_are_errors() {
    for bad in [
        "{{",
        "{{ if }}",
        "{{ if true }}",
        "{{ end }}",
        "{{ else }}",
        "{{ \"unterminated }}",
        "{{ ( }}",
        "{{ ) }}",
        "{{ define \"x\" }}",
        "{{ range $a, $b, $c := . }}{{ end }}",
        "{{ /* open",
        "{{ 1.2.3 }}",
        "{{ .a b }}",
        "{{ $ := }}",
        "{{ template }}",
        "{{ 'ab' }}",
        "{{ \"\\q\" }}",
        "{{ . | }}",
        "{{ if true }}{{ else }}{{ else }}{{ end }}",
    ] {
        assert!(render_str(bad, &data()).is_err(), "{bad:?} should fail");
    }
    let nested = format!("{{{{ {}1{} }}}}", "(".repeat(500), ")".repeat(500));
    assert!(render_str(&nested, &data()).is_err());
    let ifs = "{{ if true }}".repeat(500) + &"{{ end }}".repeat(500);
    assert!(render_str(&ifs, &data()).is_err());
}

#[test]
fn recursion_and_output_limits() {
    let e = err("{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}{{ include \"loop\" . }}");
    assert!(matches!(e, TemplateError::Limit(_)), "{e}");
    let e = err("{{ define \"t\" }}{{ template \"t\" . }}{{ end }}{{ template \"t\" . }}");
    assert!(matches!(e, TemplateError::Limit(_)), "{e}");
    let mut set = TemplateSet::new();
    set.add(
        "big",
        "{{ range until 100000 }}xxxxxxxxxxxxxxxxxxxxxxxx{{ end }}",
    )
    .unwrap();
    let limits = Limits {
        max_output: 1 << 20,
        ..Limits::default()
    };
    assert!(matches!(
        set.render("big", &data(), &limits),
        Err(TemplateError::Limit(_))
    ));
    let e =
        err("{{ $s := \"xxxxxxxxxxxxxxxx\" }}{{ range until 30 }}{{ $s = print $s $s }}{{ end }}");
    assert!(matches!(e, TemplateError::Limit(_)), "{e}");
    // Shared and self-containing values: printing, copying, comparing and merging them
    // stay bounded.
    let e = err("{{ $l := list 1 }}{{ range until 40 }}{{ $l = concat $l $l }}{{ end }}");
    assert!(matches!(e, TemplateError::Limit(_)), "{e}");
    let _ = render_str("{{ $d := dict }}{{ $_ := set $d \"a\" $d }}{{ $_ := set $d \"b\" $d }}{{ $c := deepCopy $d }}{{ eq $d $c }}{{ toJson $d | len }}{{ merge (dict) $d | len }}{{ $d }}", &data());
    let e = err("{{ $s := \"x\" }}{{ range until 64 }}{{ $s = replace \"\" $s $s }}{{ end }}");
    assert!(
        matches!(e, TemplateError::Limit(_) | TemplateError::Exec { .. }),
        "{e}"
    );
    // A map that contains itself prints without looping forever.
    let _ = r(
        "{{ $d := dict }}{{ $_ := set $d \"self\" $d }}{{ toJson $d | len }}{{ toYaml $d | len }}",
    );
}
