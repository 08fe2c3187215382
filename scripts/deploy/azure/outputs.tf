# What the operator needs after `terraform apply`: URLs to check, DNS records to create,
# and the Listen key for the on-prem link service (sensitive: `terraform output -raw ...`).

output "cloud_url" {
  description = "Public URL of the cloud copy (custom domain, HTTPS). The on-prem app redirects here during the burst."
  value       = "${local.public_url}/"
}

output "front_door_endpoint_hostname" {
  description = "Front Door endpoint host name: the CNAME target, and usable for checks before DNS exists."
  value       = azurerm_cdn_frontdoor_endpoint.main.host_name
}

output "front_door_endpoint_url" {
  description = "The cloud copy through Front Door's own host name (WAF applies here too)."
  value       = "https://${azurerm_cdn_frontdoor_endpoint.main.host_name}/"
}

output "dns_cname_record" {
  description = "Record the DNS team creates in the company zone: the custom domain as a CNAME to the Front Door endpoint."
  value = {
    name  = var.custom_domain_host_name
    type  = "CNAME"
    value = azurerm_cdn_frontdoor_endpoint.main.host_name
  }
}

output "dns_validation_txt_record" {
  description = "TXT record proving domain ownership for the managed certificate (valid about 7 days; regenerate in the portal if it expires)."
  value = {
    name  = "_dnsauth.${var.custom_domain_host_name}"
    type  = "TXT"
    value = azurerm_cdn_frontdoor_custom_domain.app.validation_token
  }
}

output "front_door_id" {
  description = "Front Door profile GUID, sent to the origin as X-Azure-FDID; the app is given it (TIMESHEET_APP__FRONT_DOOR_IDS) and refuses requests without it."
  value       = azurerm_cdn_frontdoor_profile.main.resource_guid
}

output "container_app_fqdn" {
  description = "Container app's own FQDN (the Front Door origin). Answers 403 except /healthz and /readyz: the app accepts only requests that came through Front Door."
  value       = azurerm_container_app.app.ingress[0].fqdn
}

output "container_app_name" {
  description = "Container app name, for `az containerapp` commands."
  value       = azurerm_container_app.app.name
}

output "resource_group_name" {
  description = "Resource group of the cloud copy."
  value       = azurerm_resource_group.main.name
}

output "container_registry_login_server" {
  description = "Registry to push the cloud image to (build-images.sh --push)."
  value       = azurerm_container_registry.images.login_server
}

output "container_image" {
  description = "Image reference the container app runs."
  value       = local.container_image
}

output "storage_table_endpoint" {
  description = "Table endpoint of the session store (TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__ACCOUNT_URL)."
  value       = azurerm_storage_account.sessions.primary_table_endpoint
}

output "relay_namespace_hostname" {
  description = "Azure Relay namespace host name, for the app and the on-prem link service."
  value       = local.relay_namespace_host
}

output "relay_hybrid_connection_name" {
  description = "Hybrid connection the link service listens on."
  value       = azurerm_relay_hybrid_connection.erp.name
}

output "relay_listen_rule_name" {
  description = "Key name (SAS rule) for the on-prem link services: the current rotation slot's (LINK_KEY_NAME)."
  value       = azurerm_relay_hybrid_connection_authorization_rule.listen[local.current_slot.relay_listen].name
}

output "relay_listen_previous_rule_name" {
  description = "The Listen rule of the previous rotation: still valid until the next rotation, so link services not yet given the new key keep listening."
  value       = azurerm_relay_hybrid_connection_authorization_rule.listen[local.previous_slot.relay_listen].name
}

output "secret_rotations" {
  description = "Rotation counters as applied, and the slot each secret uses now (rotate-secrets.sh compares them with the tfvars file)."
  value = {
    counters = local.rotations
    current  = local.current_slot
  }
}

output "link_service_environment" {
  description = "Environment of the on-prem link service (npm run link-service), except LINK_KEY (relay_listen_primary_key) and the ERP endpoints."
  value = {
    LINK_RELAY_URL         = "https://${local.relay_namespace_host}"
    LINK_HYBRID_CONNECTION = azurerm_relay_hybrid_connection.erp.name
    LINK_KEY_NAME          = azurerm_relay_hybrid_connection_authorization_rule.listen[local.current_slot.relay_listen].name
  }
}

output "relay_listen_primary_key" {
  description = "Listen key for the on-prem link services (the current slot's rule, relay_listen_rule_name). Read with `terraform output -raw relay_listen_primary_key`."
  value       = azurerm_relay_hybrid_connection_authorization_rule.listen[local.current_slot.relay_listen].primary_key
  sensitive   = true
}

output "link_service_heartbeat_connection_string" {
  description = "LINK_HEARTBEAT_CONNECTION_STRING of the on-prem link services: their heartbeat feeds the \"no listener\" alert. Read with `terraform output -raw link_service_heartbeat_connection_string`."
  value       = azurerm_application_insights.main.connection_string
  sensitive   = true
}

output "relay_listen_key_vault_secret_id" {
  description = "Versionless id of the Key Vault secret holding the Listen key, when link_service_key_vault_id is set."
  value       = one(azurerm_key_vault_secret.relay_listen_key[*].versionless_id)
}

output "log_analytics_workspace_id" {
  description = "Workspace (customer) id for `az monitor log-analytics query`."
  value       = azurerm_log_analytics_workspace.main.workspace_id
}
