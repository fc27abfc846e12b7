# METADATA
# custom:
#   id: BROKEN-001
package user.broken

deny[msg] {
	msg := "unterminated
}
