# METADATA
# title: Corporate check
# custom:
#   id: CORP-001
#   severity: CRITICAL
package corp.all

deny[msg] {
	msg := "corporate namespace check ran"
}
