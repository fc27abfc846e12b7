package lib.labels

required := {"team", "owner"}

missing(obj) := {l | some l in required; not obj.metadata.labels[l]}
