# Secret rotation without an outage. Every secret the cloud copy and the link service use comes in
# two slots, "a" and "b". A counter per secret (relay_send_key_rotation, relay_listen_key_rotation,
# session_secret_rotation in the tfvars file) decides which slot is current: raising it by one
# regenerates only the other, older slot and makes it current, so the value in use until then stays
# valid until the next rotation (running replicas, link services not yet restarted, session cookies).
# ../rotate-secrets.sh raises a counter, applies with the running image tag, waits for the new
# revision and checks readiness. Raise a counter by one at a time: a jump of two renews both slots.

locals {
  secret_slots = toset(["a", "b"])
  # Slot "b" keeps the name of the rule that existed before the slots (see the moved blocks).
  slot_suffix = { a = "-a", b = "" }

  rotations = {
    relay_listen   = var.relay_listen_key_rotation
    relay_send     = var.relay_send_key_rotation
    session_secret = var.session_secret_rotation
  }

  # Slot "a" takes a new value on odd counts, slot "b" on even ones (both are new at 0).
  slot_generation = { for k, n in local.rotations : k => { a = floor((n + 1) / 2), b = floor(n / 2) } }
  current_slot    = { for k, n in local.rotations : k => n % 2 == 1 ? "a" : "b" }
  previous_slot   = { for k, n in local.rotations : k => n % 2 == 1 ? "b" : "a" }

  # Put in the container's environment: any rotation changes the template, hence a new revision,
  # whose replicas read the new secret values (see container-app.tf).
  secret_rotations_text = join(" ", [for k in sort(keys(local.rotations)) : "${k}=${local.rotations[k]}"])
}

# The relay rules of a slot are replaced when its generation changes: replace_triggered_by needs a
# resource to watch, and these hold the numbers.
resource "terraform_data" "relay_send_generation" {
  for_each = local.secret_slots
  input    = local.slot_generation.relay_send[each.key]
}

resource "terraform_data" "relay_listen_generation" {
  for_each = local.secret_slots
  input    = local.slot_generation.relay_listen[each.key]
}
