{{- define "loop.a" }}{{ include "loop.b" . }}{{ end }}
{{- define "loop.b" }}{{ include "loop.a" . }}{{ end }}
