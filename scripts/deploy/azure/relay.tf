# The cloud app reaches the ERP behind CONTOSO's firewall through Azure Relay Hybrid Connections:
# the on-prem link service listens (outbound WebSocket, port 443), the cloud app sends.
# Each side gets a rule with exactly the one right it needs.

resource "azurerm_relay_namespace" "main" {
  name                = var.relay_namespace_name
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  sku_name            = "Standard"
  tags                = var.tags
}

resource "azurerm_relay_hybrid_connection" "erp" {
  name                          = var.hybrid_connection_name
  resource_group_name           = azurerm_resource_group.main.name
  relay_namespace_name          = azurerm_relay_namespace.main.name
  requires_client_authorization = true
  user_metadata                 = "ERP SOAP services of CONTOSO, served by the on-prem link service"
}

# Two rules of each kind, one per slot (secrets.tf): a rotation replaces the rule not in use and
# switches to it, so the key in use stays valid until the next rotation.

# Before the slots there was one rule of each kind: it becomes slot "b" (current at rotation 0) under
# its own name, so moving to slots keeps the keys the app and the link services hold.
moved {
  from = azurerm_relay_hybrid_connection_authorization_rule.send
  to   = azurerm_relay_hybrid_connection_authorization_rule.send["b"]
}

moved {
  from = azurerm_relay_hybrid_connection_authorization_rule.listen
  to   = azurerm_relay_hybrid_connection_authorization_rule.listen["b"]
}

# Given to the cloud app (container app secret `relay-send-key`, the current slot's rule).
resource "azurerm_relay_hybrid_connection_authorization_rule" "send" {
  for_each = local.secret_slots

  name                   = "${var.relay_send_rule_name}${local.slot_suffix[each.key]}"
  resource_group_name    = azurerm_resource_group.main.name
  namespace_name         = azurerm_relay_namespace.main.name
  hybrid_connection_name = azurerm_relay_hybrid_connection.erp.name
  send                   = true
  listen                 = false
  manage                 = false

  lifecycle {
    replace_triggered_by = [terraform_data.relay_send_generation[each.key]]
  }
}

# Given to the on-prem link services (output `relay_listen_primary_key`, optionally Key Vault).
resource "azurerm_relay_hybrid_connection_authorization_rule" "listen" {
  for_each = local.secret_slots

  name                   = "${var.relay_listen_rule_name}${local.slot_suffix[each.key]}"
  resource_group_name    = azurerm_resource_group.main.name
  namespace_name         = azurerm_relay_namespace.main.name
  hybrid_connection_name = azurerm_relay_hybrid_connection.erp.name
  send                   = false
  listen                 = true
  manage                 = false

  lifecycle {
    replace_triggered_by = [terraform_data.relay_listen_generation[each.key]]
  }
}

# The current Listen key; its tag names the rule (LINK_KEY_NAME), which changes with each rotation.
resource "azurerm_key_vault_secret" "relay_listen_key" {
  count = var.link_service_key_vault_id == null ? 0 : 1

  name         = var.link_service_key_vault_secret_name
  key_vault_id = var.link_service_key_vault_id
  value        = azurerm_relay_hybrid_connection_authorization_rule.listen[local.current_slot.relay_listen].primary_key
  content_type = "Azure Relay SAS key (rule ${azurerm_relay_hybrid_connection_authorization_rule.listen[local.current_slot.relay_listen].name}, hybrid connection ${var.hybrid_connection_name})"
  tags         = merge(var.tags, { key-name = azurerm_relay_hybrid_connection_authorization_rule.listen[local.current_slot.relay_listen].name })
}
