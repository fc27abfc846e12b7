# METADATA
# title: No USER instruction
# description: The image must switch to an unprivileged user.
# custom:
#   id: CUSTOM-002
#   severity: medium
#   recommended_actions: Add a USER instruction.
#   input:
#     selector:
#       - type: dockerfile
package user.dockerfile.custom002

has_user {
	input.Stages[_].Commands[_].Cmd == "user"
}

deny[msg] {
	not has_user
	msg := "No USER instruction: the container runs as root"
}
