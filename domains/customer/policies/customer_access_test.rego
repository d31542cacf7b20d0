package data_mesh.access.customer_domain_test

import data.data_mesh.access.customer_domain.customer_360_access as c360
import data.data_mesh.access.customer_domain.customer_events_v1_access as events
import data.data_mesh.access.customer_domain.customer_profile_snapshot_access as snapshot

products := {"customer": {"customer-360": {"ports": ["customer_profile_stream", "customer_snapshot_daily"]}}}

reader := {"id": "u-1", "roles": ["analyst"], "team": "growth-analytics"}

req(action, subject, fields) := {
	"action": action,
	"subject": subject,
	"resource": {"domain": "customer", "fields": fields},
}

codes(denials) := {d.code | some d in denials}

test_policy_refs_match_the_package_paths if {
	c360.policy_ref == "opa://customer-domain/customer-360-access"
	events.policy_ref == "opa://customer-domain/customer-events-v1-access"
	snapshot.policy_ref == "opa://customer-domain/customer-profile-snapshot-access"
}

test_c360_read_by_team_is_not_denied if {
	count(c360.deny) == 0 with input as req("read", reader, ["customer_id"]) with data.products as products
}

test_c360_unknown_port if {
	r := json.patch(req("read", reader, ["customer_id"]), [{"op": "add", "path": "/resource/port", "value": "nope"}])
	codes(c360.deny) == {"unknown_port"} with input as r with data.products as products
}

test_events_ip_export_is_denied_whatever_the_roles if {
	subject := object.union(reader, {"roles": ["pii_authorized", "analyst"]})
	codes(events.deny) == {"ip_export"} with input as req("export", subject, ["event_type", "ip_address"])
}

test_events_star_export_is_denied if {
	codes(events.deny) == {"ip_export"} with input as req("export", reader, ["*"])
}

test_events_export_without_ip_is_not_denied if {
	count(events.deny) == 0 with input as req("export", reader, ["event_type"])
}

test_events_read_of_ip_is_left_to_governance if {
	count(events.deny) == 0 with input as req("read", reader, ["ip_address"])
}

test_events_need_a_team if {
	codes(events.deny) == {"team_required"} with input as req("read", object.remove(reader, ["team"]), ["event_type"])
}

test_snapshot_export_needs_regulatory_purpose if {
	codes(snapshot.deny) == {"export_purpose"} with input as req("export", reader, ["customer_id"])
	subject := object.union(reader, {"purpose": "regulatory-reporting"})
	count(snapshot.deny) == 0 with input as req("export", subject, ["customer_id"])
}

test_snapshot_needs_a_team if {
	codes(snapshot.deny) == {"team_required"} with input as req("read", {"id": "u-9", "roles": []}, ["customer_id"])
	count(snapshot.deny) == 0 with input as req("read", reader, ["customer_id"])
}
