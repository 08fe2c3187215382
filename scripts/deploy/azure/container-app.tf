# The cloud package in Azure Container Apps (Consumption): 0 replicas the rest of the week
# (min_replicas = 0 and no Front Door health probe, see front-door.tf), pre-warmed by a KEDA cron
# rule before the Friday window, scaled out on HTTP concurrency.

# A workload-profiles environment with the Consumption profile: profiles cannot be added to an
# environment created without them (the provider replaces it), so it starts with one.
resource "azurerm_container_app_environment" "main" {
  name                       = var.container_app_environment_name
  resource_group_name        = azurerm_resource_group.main.name
  location                   = azurerm_resource_group.main.location
  logs_destination           = "log-analytics"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  tags                       = var.tags

  workload_profile {
    name                  = local.consumption_profile
    workload_profile_type = "Consumption"
  }
}

# The session-cookie signing secrets: two slots, generated in the (protected) state. The app takes
# a JSON array whose first secret signs and all verify (TIMESHEET_APP__SESSION_SECRETS): it gets
# the newest slot first and the other second, so a rotation (session_secret_rotation + 1, see
# secrets.tf) signs with a new secret while cookies signed with the previous one stay valid.
resource "random_password" "session_secret" {
  for_each = local.secret_slots

  length  = 64
  special = false
  keepers = {
    generation = local.slot_generation.session_secret[each.key]
  }
}

# Before the slots, the one secret was `random_password.session_secret`: it becomes slot "b", the
# current one at rotation 0, so moving to slots signs nobody out.
moved {
  from = random_password.session_secret
  to   = random_password.session_secret["b"]
}

resource "azurerm_container_app" "app" {
  name                         = var.container_app_name
  resource_group_name          = azurerm_resource_group.main.name
  container_app_environment_id = azurerm_container_app_environment.main.id
  workload_profile_name        = local.consumption_profile
  revision_mode                = "Single"
  tags                         = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  registry {
    server   = azurerm_container_registry.images.login_server
    identity = azurerm_user_assigned_identity.app.id
  }

  secret {
    name  = "relay-send-key"
    value = azurerm_relay_hybrid_connection_authorization_rule.send[local.current_slot.relay_send].primary_key
  }

  secret {
    name = "session-secrets"
    value = jsonencode([
      random_password.session_secret[local.current_slot.session_secret].result,
      random_password.session_secret[local.previous_slot.session_secret].result,
    ])
  }

  dynamic "secret" {
    for_each = nonsensitive(toset(keys(var.app_secret_settings)))
    content {
      name  = lower(replace(secret.value, "_", "-"))
      value = var.app_secret_settings[secret.value]
    }
  }

  ingress {
    external_enabled           = true
    target_port                = var.container_port
    transport                  = "auto"
    allow_insecure_connections = false

    traffic_weight {
      latest_revision = true
      percentage      = 100
    }

    dynamic "ip_security_restriction" {
      for_each = var.container_app_allowed_cidrs
      content {
        name             = "allow-${ip_security_restriction.key}"
        action           = "Allow"
        ip_address_range = ip_security_restriction.value
      }
    }
  }

  template {
    min_replicas                     = var.min_replicas
    max_replicas                     = var.max_replicas
    cooldown_period_in_seconds       = var.scale_cooldown_seconds
    termination_grace_period_seconds = 30

    # Pre-warm: KEDA's cron scaler holds burst_prewarm_replicas from before the window opens
    # until it closes; KEDA takes the highest replica count any rule asks for.
    custom_scale_rule {
      name             = "friday-burst-prewarm"
      custom_rule_type = "cron"
      metadata = {
        timezone        = var.burst_timezone
        start           = var.burst_prewarm_cron
        end             = var.burst_end_cron
        desiredReplicas = tostring(var.burst_prewarm_replicas)
      }
    }

    http_scale_rule {
      name                = "http-concurrency"
      concurrent_requests = tostring(var.http_concurrent_requests)
    }

    container {
      name   = "timesheet"
      image  = local.container_image
      cpu    = var.container_cpu
      memory = var.container_memory

      env {
        name  = "TIMESHEET_TARGET"
        value = "cloud"
      }
      env {
        name  = "NODE_ENV"
        value = "production"
      }
      env {
        name  = "TIMESHEET_APP__HOST"
        value = "0.0.0.0"
      }
      env {
        name  = "TIMESHEET_APP__PORT"
        value = tostring(var.container_port)
      }
      env {
        name  = "TIMESHEET_APP__PUBLIC_URL"
        value = local.public_url
      }
      env {
        name  = "TIMESHEET_APP__TRUST_PROXY"
        value = tostring(var.trust_proxy_hops)
      }
      env {
        # Only requests that came through this Front Door (X-Azure-FDID) are served: the app's own
        # *.azurecontainerapps.io address would otherwise skip the WAF. Probes are excepted.
        name  = "TIMESHEET_APP__FRONT_DOOR_IDS"
        value = jsonencode([azurerm_cdn_frontdoor_profile.main.resource_guid])
      }
      env {
        # Read by nobody: a secret's new value reaches running replicas only with a new revision
        # (Container Apps keeps the old value until then), and a changed template makes one.
        name  = "SECRET_ROTATIONS"
        value = local.secret_rotations_text
      }
      env {
        name        = "TIMESHEET_APP__SESSION_SECRETS"
        secret_name = "session-secrets"
      }
      env {
        # Managed identity: no storage key in the app; the table endpoint is enough.
        name  = "TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__ACCOUNT_URL"
        value = azurerm_storage_account.sessions.primary_table_endpoint
      }
      env {
        # A user-assigned identity must be named; the store's default is the system-assigned one.
        name  = "TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__MANAGED_IDENTITY_CLIENT_ID"
        value = azurerm_user_assigned_identity.app.client_id
      }
      env {
        # The same identity for any other Azure SDK client using DefaultAzureCredential.
        name  = "AZURE_CLIENT_ID"
        value = azurerm_user_assigned_identity.app.client_id
      }
      env {
        name  = "TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__SESSIONS_TABLE"
        value = azurerm_storage_table.sessions.name
      }
      env {
        name  = "TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__DRAFTS_TABLE"
        value = azurerm_storage_table.drafts.name
      }
      env {
        name  = "TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__LEASE_TABLE"
        value = azurerm_storage_table.leases.name
      }
      env {
        # Terraform owns the tables.
        name  = "TIMESHEET_PLUGIN_SETTINGS__SESSION_AZURE_TABLES__CREATE_TABLES"
        value = "false"
      }
      env {
        name  = "TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__RELAY_BASE_URL"
        value = "https://${local.relay_namespace_host}"
      }
      env {
        name  = "TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__HYBRID_CONNECTION"
        value = azurerm_relay_hybrid_connection.erp.name
      }
      env {
        name  = "TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__KEY_NAME"
        value = azurerm_relay_hybrid_connection_authorization_rule.send[local.current_slot.relay_send].name
      }
      env {
        name        = "TIMESHEET_PLUGIN_SETTINGS__ERP_RELAY__KEY"
        secret_name = "relay-send-key"
      }

      dynamic "env" {
        for_each = var.app_settings
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = nonsensitive(toset(keys(var.app_secret_settings)))
        content {
          name        = env.value
          secret_name = lower(replace(env.value, "_", "-"))
        }
      }

      # Gives a cold replica time to load; liveness only starts once this has passed.
      startup_probe {
        transport               = "HTTP"
        port                    = var.container_port
        path                    = "/healthz"
        interval_seconds        = 2
        timeout                 = 2
        failure_count_threshold = 30
      }

      liveness_probe {
        transport               = "HTTP"
        port                    = var.container_port
        path                    = "/healthz"
        interval_seconds        = 10
        timeout                 = 3
        failure_count_threshold = 3
      }

      readiness_probe {
        transport               = "HTTP"
        port                    = var.container_port
        path                    = "/readyz"
        interval_seconds        = 10
        timeout                 = 5
        failure_count_threshold = 3
        success_count_threshold = 1
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.max_replicas > var.min_replicas && var.max_replicas >= var.burst_prewarm_replicas
      error_message = "max_replicas must be above min_replicas and at least burst_prewarm_replicas."
    }
    # Health probes are requests: with them a replica is kept running all week, which is what
    # min_replicas = 0 was meant to avoid. Choose: probes off (one origin needs none), or an
    # always-on replica (min_replicas >= 1) paid for on purpose.
    precondition {
      condition     = !var.front_door_health_probe_enabled || var.min_replicas >= 1
      error_message = "front_door_health_probe_enabled keeps a replica awake all week: with min_replicas = 0 leave it false (a single origin needs no probe), or set min_replicas >= 1 for an always-on replica."
    }
  }

  # The identity must be allowed to pull and to use the tables before the first revision starts.
  depends_on = [
    azurerm_role_assignment.app_acr_pull,
    azurerm_role_assignment.app_tables,
  ]
}
