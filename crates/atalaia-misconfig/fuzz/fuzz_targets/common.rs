// Shared invariants of the fuzz targets (included with `include!`).

/// Every result points inside the input, with code lines that match it.
fn check_result(data: &[u8], r: &atalaia_misconfig::FileResult) {
    let raw = String::from_utf8_lossy(data);
    let text = atalaia_misconfig::yaml::normalize_line_breaks(&raw);
    let lines = text.lines().count().max(1);
    assert_eq!(
        r.misconf_summary.failures,
        r.failures().count(),
        "summary counts every failure"
    );
    for m in &r.misconfigurations {
        let c = &m.cause_metadata;
        assert!(c.start_line <= c.end_line, "{} {}..{}", m.id, c.start_line, c.end_line);
        assert!(c.end_line <= lines + 1, "{} ends at {} of {lines}", m.id, c.end_line);
        let mut prev = 0;
        for l in &c.code.lines {
            assert!(l.number > prev && l.number <= lines, "{} code line {}", m.id, l.number);
            prev = l.number;
        }
        assert!(!m.message.is_empty());
    }
}
