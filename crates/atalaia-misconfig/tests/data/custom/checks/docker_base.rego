# METADATA
# title: Forbidden base image
# description: Images must not be built from ubuntu:latest.
# scope: package
# schemas:
#   - input: schema["dockerfile"]
# related_resources:
#   - https://example.invalid/policies/base-images
# custom:
#   id: CUSTOM-001
#   avd_id: AVD-CUSTOM-001
#   severity: HIGH
#   short_code: no-ubuntu-latest
#   recommended_actions: Use an approved, pinned base image.
#   input:
#     selector:
#       - type: dockerfile
package user.dockerfile.custom001

import rego.v1

deny contains res if {
	some stage in input.Stages
	some cmd in stage.Commands
	cmd.Cmd == "from"
	cmd.Value[0] == "ubuntu:latest"
	msg := sprintf("Base image '%s' is forbidden", [cmd.Value[0]])
	res := result.new(msg, cmd)
}
