{#- Trivy's contrib/junit.tpl, ported to Jinja syntax. -#}
<?xml version="1.0" ?>
<testsuites>
{%- for r in results %}
{%- set failures = r.Vulnerabilities | default([]) | length %}
    <testsuite tests="{{ failures }}" failures="{{ failures }}" name="{{ r.Target | escape_xml }}" errors="0" skipped="0" time="">
    {%- if r.Type %}
        <properties>
            <property name="type" value="{{ r.Type }}"></property>
        </properties>
    {%- endif %}
    {%- for v in r.Vulnerabilities %}
        <testcase classname="{{ v.PkgName }}-{{ v.InstalledVersion }}" name="[{{ v.Severity }}] {{ v.VulnerabilityID }}" time="">
            <failure message="{{ v.Title | escape_xml }}" type="description">{{ v.Description | escape_xml }}</failure>
        </testcase>
    {%- endfor %}
    </testsuite>
{%- endfor %}
</testsuites>
