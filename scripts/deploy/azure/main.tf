# The cloud copy of the timesheet app: what takes the Friday-afternoon burst.
# Files are split by concern: container-app.tf, storage.tf, relay.tf, secrets.tf (rotation
# slots), front-door.tf, monitoring.tf; every name, size and schedule is a variable (variables.tf); outputs.tf
# gives the operator the URLs and DNS records. Runbook: ../README.md.

terraform {
  required_version = ">= 1.6.0"

  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
      # 4.77 is the first 4.x with `storage_account_id` on azurerm_storage_table; the files
      # avoid every argument that 5.0 removed, so moving to 5.x is a version bump plus a plan.
      version = "~> 4.77"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # State holds the relay keys and the session secret: keep it in a locked-down storage
  # account, never on a laptop. Values come from `terraform init -backend-config=...`
  # (see README); `terraform init -backend=false` is enough for `validate`.
  backend "azurerm" {}
}

provider "azurerm" {
  features {}

  # null falls back to ARM_SUBSCRIPTION_ID or the Azure CLI's default subscription.
  subscription_id = var.subscription_id
}

resource "azurerm_resource_group" "main" {
  name     = var.resource_group_name
  location = var.location
  tags     = var.tags
}

# Runs the container app: pulls the image, reads the tables. A user-assigned identity exists
# before the app, so its role assignments are in place when the first revision starts
# (a system-assigned identity would only exist after the app, too late for the first pull).
resource "azurerm_user_assigned_identity" "app" {
  name                = var.app_identity_name
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  tags                = var.tags
}

resource "azurerm_container_registry" "images" {
  name                = var.container_registry_name
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  sku                 = var.container_registry_sku
  admin_enabled       = false
  tags                = var.tags
}

resource "azurerm_role_assignment" "app_acr_pull" {
  scope                = azurerm_container_registry.images.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}

locals {
  # Names of the parts that never appear outside this deployment, derived from one prefix.
  names = {
    front_door_origin_group    = "${var.name_prefix}-origins"
    front_door_origin          = "${var.name_prefix}-container-app"
    front_door_route           = "${var.name_prefix}-route"
    front_door_custom_domain   = replace(var.custom_domain_host_name, ".", "-")
    front_door_security_policy = "${var.name_prefix}-waf"
    diagnostics                = "${var.name_prefix}-to-log-analytics"
    alert_5xx                  = "${var.name_prefix}-http-5xx-rate"
    alert_p95                  = "${var.name_prefix}-p95-latency"
    alert_erp                  = "${var.name_prefix}-erp-failures"
    alert_relay_listeners      = "${var.name_prefix}-relay-no-listener"
    alert_link_heartbeat       = "${var.name_prefix}-link-heartbeat-missing"
  }

  # The Consumption workload profile: Azure requires this name for it.
  consumption_profile = "Consumption"

  relay_namespace_host = "${azurerm_relay_namespace.main.name}.servicebus.windows.net"
  container_image      = "${azurerm_container_registry.images.login_server}/${var.container_image_repository}:${var.container_image_tag}"
  public_url           = "https://${var.custom_domain_host_name}"
}
