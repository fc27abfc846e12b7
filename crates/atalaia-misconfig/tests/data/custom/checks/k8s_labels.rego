# METADATA
# title: Required labels missing
# description: Every workload must carry the team and owner labels.
# custom:
#   id: CUSTOM-K8S-001
#   severity: LOW
#   recommended_actions: Set metadata.labels.team and metadata.labels.owner.
#   input:
#     selector:
#       - type: kubernetes
package user.kubernetes.labels

import rego.v1

import data.lib.labels

deny contains res if {
	input.kind in {"Deployment", "Pod"}
	some l in labels.missing(input)
	res := result.new(sprintf("%s '%s' has no '%s' label", [input.kind, input.metadata.name, l]), input.metadata)
}

deny_no_limits contains {"msg": msg, "startline": c.__defsec_metadata.startline, "endline": c.__defsec_metadata.endline} if {
	input.kind == "Deployment"
	some c in input.spec.template.spec.containers
	not c.resources.limits
	msg := sprintf("Container '%s' has no resource limits", [c.name])
}
