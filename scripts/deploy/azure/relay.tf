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

# Given to the cloud app (container app secret `relay-send-key`).
resource "azurerm_relay_hybrid_connection_authorization_rule" "send" {
  name                   = var.relay_send_rule_name
  resource_group_name    = azurerm_resource_group.main.name
  namespace_name         = azurerm_relay_namespace.main.name
  hybrid_connection_name = azurerm_relay_hybrid_connection.erp.name
  send                   = true
  listen                 = false
  manage                 = false
}

# Given to the on-prem link service (output `relay_listen_primary_key`, optionally Key Vault).
resource "azurerm_relay_hybrid_connection_authorization_rule" "listen" {
  name                   = var.relay_listen_rule_name
  resource_group_name    = azurerm_resource_group.main.name
  namespace_name         = azurerm_relay_namespace.main.name
  hybrid_connection_name = azurerm_relay_hybrid_connection.erp.name
  send                   = false
  listen                 = true
  manage                 = false
}

resource "azurerm_key_vault_secret" "relay_listen_key" {
  count = var.link_service_key_vault_id == null ? 0 : 1

  name         = var.link_service_key_vault_secret_name
  key_vault_id = var.link_service_key_vault_id
  value        = azurerm_relay_hybrid_connection_authorization_rule.listen.primary_key
  content_type = "Azure Relay SAS key (rule ${var.relay_listen_rule_name}, hybrid connection ${var.hybrid_connection_name})"
  tags         = var.tags
}
