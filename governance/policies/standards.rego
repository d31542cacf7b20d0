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

# The product as the infra config's piiAccess names consumers.
consumer := concat("/", [object.get(input, ["metadata", "domain"], ""), object.get(input, ["metadata", "name"], "")])

# The ports of every product with PII, and the field references that read it (data.pii_access).
default pii_ports := {}

pii_ports := data.pii_access.ports

# This product's authorizations, by source.
default grants := {}

grants := data.pii_access.authorizations[consumer]

# The older consumer-wide form (lakeFormation.piiAuthorizedConsumers): every source.
default consumer_wide := false

consumer_wide := data.pii_access.consumer_wide[consumer]

read_sources contains source if {
	some in_port in object.get(input, ["spec", "inputPorts"], [])
	source := in_port.sourceProduct
	source != consumer
}

# Each declared input field that reads PII of its source, on each consumed port it reads it on.
pii_reads contains read if {
	some i, in_port in object.get(input, ["spec", "inputPorts"], [])
	in_port.sourceProduct in read_sources
	some name, port in pii_ports[in_port.sourceProduct]
	object.get(in_port, "port", name) == name
	some j, ref in in_port.fields
	read := {"input": i, "field": j, "ref": ref, "source": in_port.sourceProduct, "port": name, "pii": port.reads[ref]}
}

# [source, PII field] pairs this product may read.
authorized contains [source, field] if {
	consumer_wide
	some source in read_sources
	some port in pii_ports[source]
	some field in port.pii
}

authorized contains [source, field] if {
	some source, grant in grants
	not grant.fields
	some port in pii_ports[source]
	some field in port.pii
}

authorized contains [source, field] if {
	some source, grant in grants
	some field in grant.fields
}

unauthorized contains [read.input, read.field, read.ref, read.source, field] if {
	some read in pii_reads
	some field in read.pii
	not [read.source, field] in authorized
}

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

# METADATA
# description: >-
#   An input port reads PII fields of another product only with the platform's authorization
#   for that consumer and source (infra config piiAccess).
findings contains finding if {
	some [i, j, ref, source, _] in unauthorized
	denied := sort({entry[4] | some entry in unauthorized; entry[0] == i; entry[1] == j})
	finding := {
		"code": "pii-unauthorized",
		"path": ["spec", "inputPorts", i, "fields", j],
		"message": concat("", [
			"the input field \"", ref, "\" reads PII of ", source, " (", concat(", ", denied),
			") and ", consumer, " has no authorization from the platform to read it",
		]),
	}
}

# METADATA
# description: >-
#   Kafka grants whole topics: a stream port is read in full only when every PII field it
#   carries is authorized; otherwise the pipeline reads its PII-free projection.
findings contains finding if {
	some read in pii_reads
	port := pii_ports[read.source][read.port]
	port.type == "stream"
	every field in read.pii {
		[read.source, field] in authorized
	}
	withheld := sort({field | some field in port.pii; not [read.source, field] in authorized})
	count(withheld) > 0
	finding := {
		"code": "pii-stream-partial",
		"path": ["spec", "inputPorts", read.input, "fields", read.field],
		"message": concat("", [
			"the input field \"", read.ref, "\" of ", read.source, " is authorized, but its stream port ",
			read.port, " also carries PII ", consumer, " may not read (", concat(", ", withheld),
			"): Kafka grants whole topics, so the pipeline reads the port's PII-free projection, without \"",
			read.ref, "\"",
		]),
	}
}
