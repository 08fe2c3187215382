# Sessions and week drafts of the cloud copy in Azure Table Storage. The app signs in with its
# managed identity (Storage Table Data Contributor); it never holds an account key.

resource "azurerm_storage_account" "sessions" {
  name                     = var.storage_account_name
  resource_group_name      = azurerm_resource_group.main.name
  location                 = azurerm_resource_group.main.location
  account_kind             = "StorageV2"
  account_tier             = "Standard"
  account_replication_type = var.storage_replication_type

  https_traffic_only_enabled       = true
  min_tls_version                  = "TLS1_2"
  allow_nested_items_to_be_public  = false
  cross_tenant_replication_enabled = false
  default_to_oauth_authentication  = true
  # Shared Key stays enabled only because azurerm_storage_table reads table ACLs with it
  # (the provider has no Entra-only path for tables); the app and operators use Entra ID.
  shared_access_key_enabled = true

  tags = var.tags
}

resource "azurerm_storage_table" "sessions" {
  name               = var.sessions_table_name
  storage_account_id = azurerm_storage_account.sessions.id
}

resource "azurerm_storage_table" "drafts" {
  name               = var.drafts_table_name
  storage_account_id = azurerm_storage_account.sessions.id
}

resource "azurerm_storage_table" "leases" {
  name               = var.lease_table_name
  storage_account_id = azurerm_storage_account.sessions.id
}

resource "azurerm_role_assignment" "app_tables" {
  scope                = azurerm_storage_account.sessions.id
  role_definition_name = "Storage Table Data Contributor"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}

# Operators purge the tables at the end of a burst with their own Entra identity.
resource "azurerm_role_assignment" "operators_tables" {
  for_each = var.operator_principal_ids

  scope                = azurerm_storage_account.sessions.id
  role_definition_name = "Storage Table Data Contributor"
  principal_id         = each.value
}
