# METADATA
# title: Publish-time standards for data-product specs
# description: >-
#   Evaluated on every data-product spec (input = the parsed data-product.yaml) at publish
#   time. Each finding names the rule, a stable code and the JSON path of the spec node it is
#   about, so that @data-mesh/policy can report it at that node's YAML line. The limits come
#   from governance/standards.yaml through the generated data document (data.standards).
# scope: package
package data_mesh.standards

governance := object.get(input, ["spec", "governance"], {})

tags := {tag | some tag in object.get(input, ["metadata", "tags"], [])}

pii_fields := object.get(governance, "pii_fields", [])

classification := object.get(governance, "data_classification", "")

# Where a tag finding points: the tags list when there is one, else metadata.
default tags_path := ["metadata"]

tags_path := ["metadata", "tags"] if input.metadata.tags

gdpr_tagged if data.standards.gdpr.tag in tags

gdpr_erasure if governance.gdpr_subject_to_erasure == true

meets_uptime(port, minimum) if uptime_percent(port.sla.uptime) >= minimum

# "99.9%" -> 99.9; undefined for anything else (the SLA grammar rule MESH110 reports it).
uptime_percent(text) := to_number(number) if {
	number := trim_space(trim_suffix(text, "%"))
	regex.match(`^[0-9]+(\.[0-9]+)?$`, number)
}

uptime_path(i, port) := ["spec", "outputPorts", i, "sla", "uptime"] if port.sla.uptime

else := ["spec", "outputPorts", i]

# METADATA
# description: All findings for the spec in input, sorted (stable across evaluators).
# entrypoint: true
report := sort(findings)

# METADATA
# description: PII fields imply the pii tag.
findings contains finding if {
	count(pii_fields) > 0
	not data.standards.pii.tag in tags
	finding := {
		"code": "pii-tag",
		"path": tags_path,
		"message": concat("", [
			"the product declares PII fields (", concat(", ", pii_fields),
			") but is not tagged '", data.standards.pii.tag, "'",
		]),
	}
}

# METADATA
# description: PII fields imply a confidential or restricted classification.
findings contains finding if {
	count(pii_fields) > 0
	not classification in data.standards.pii.classifications
	finding := {
		"code": "pii-classification",
		"path": ["spec", "governance", "data_classification"],
		"message": concat("", [
			"the product declares PII fields but is classified '", classification,
			"'; PII needs one of: ", concat(", ", data.standards.pii.classifications),
		]),
	}
}

# METADATA
# description: Restricted products declare an access policy.
findings contains finding if {
	classification == "restricted"
	not governance.access_policy
	finding := {
		"code": "restricted-access-policy",
		"path": ["spec", "governance"],
		"message": "a restricted product must declare governance.access_policy (opa://<bundle>/<name>)",
	}
}

# METADATA
# description: A GDPR-tagged product supports erasure.
findings contains finding if {
	gdpr_tagged
	not gdpr_erasure
	finding := {
		"code": "gdpr-erasure",
		"path": ["spec", "governance"],
		"message": concat("", [
			"the product is tagged '", data.standards.gdpr.tag,
			"' but does not set governance.gdpr_subject_to_erasure: true",
		]),
	}
}

# METADATA
# description: A product subject to erasure carries the GDPR tag.
findings contains finding if {
	gdpr_erasure
	not gdpr_tagged
	finding := {
		"code": "gdpr-tag",
		"path": tags_path,
		"message": concat("", [
			"governance.gdpr_subject_to_erasure is true but the product is not tagged '",
			data.standards.gdpr.tag, "'",
		]),
	}
}

# METADATA
# description: Retention within the limit of the classification.
findings contains finding if {
	limit := data.standards.classifications[classification].max_retention_days
	governance.retention_days > limit
	finding := {
		"code": "retention-limit",
		"path": ["spec", "governance", "retention_days"],
		"message": concat("", [
			"retention_days ", format_int(governance.retention_days, 10), " exceeds the ",
			format_int(limit, 10), "-day limit for '", classification, "' data",
		]),
	}
}

# METADATA
# description: >-
#   Erasure does not reach a stream port: its topic (cleanup.policy=delete) keeps an erased
#   subject's records until retention.ms, from retention_days, ages them out. A warning past
#   the standard's bound: retention_days also sets how long the product's tables keep rows.
findings contains finding if {
	gdpr_erasure
	limit := data.standards.gdpr.max_stream_erasure_days
	governance.retention_days > limit
	some i, port in object.get(input, ["spec", "outputPorts"], [])
	port.type == "stream"
	finding := {
		"code": "gdpr-stream-retention",
		"severity": "warning",
		"path": ["spec", "governance", "retention_days"],
		"message": concat("", [
			"erased subjects' records stay in topic ", object.get(port, "topic", format_int(i, 10)), " up to ",
			format_int(governance.retention_days, 10), " days (cleanup.policy=delete ages them out after retention_days; ",
			"erasure deletes rows from tables only); the GDPR standard bounds this at ", format_int(limit, 10), " days",
		]),
	}
}

# METADATA
# description: A tier tag implies at least the tier's uptime on every output port.
findings contains finding if {
	some tier, level in data.standards.tiers
	tier in tags
	some i, port in object.get(input, ["spec", "outputPorts"], [])
	not meets_uptime(port, level.min_uptime_percent)
	finding := {
		"code": "tier-uptime",
		"path": uptime_path(i, port),
		"message": concat("", [
			"the product is tagged '", tier, "' but port '", object.get(port, "name", format_int(i, 10)),
			"' promises uptime ", object.get(port, ["sla", "uptime"], "(none)"),
			"; ", tier, " needs at least ", json.marshal(level.min_uptime_percent), "%",
		]),
	}
}
