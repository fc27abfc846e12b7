# {{ report.ArtifactName }} ({{ report.Metadata.OS.Family }} {{ report.Metadata.OS.Name }})
{% for r in results if r.Vulnerabilities %}
## {{ r.Target }}

| ID | Severity | Level | Package | Installed | Fixed | KEV |
| --- | --- | --- | --- | --- | --- | --- |
{% for v in r.Vulnerabilities -%}
| {{ v.VulnerabilityID }} | {{ v.Severity }} | {{ v.Severity | severity_to_level }} | {{ v.PkgName }} | {{ v.InstalledVersion }} | {{ v.FixedVersion | default("-") }} | {{ "yes" if v.KEV else "no" }} |
{% endfor %}
{%- endfor %}
{%- for r in results if r.Secrets %}
## Secrets in {{ r.Target }}
{% for s in r.Secrets %}
- {{ s.RuleID }} line {{ s.StartLine }}: {{ s.Title | end_with_period }} {{ s.Match | to_json }}
{%- endfor %}
{% endfor %}
