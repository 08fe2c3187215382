# Logs, Application Insights and the alerts of a Friday: 5xx rate, p95 latency, ERP failures,
# no relay listener (two rules: the relay's metric, and the link services' heartbeat, which also
# fires when nothing is heard at all). Every alert notifies the same action group.

resource "azurerm_log_analytics_workspace" "main" {
  name                = var.log_analytics_workspace_name
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
  tags                = var.tags
}

# Workspace-based: the app's JSON console logs (ContainerAppConsoleLogs_CL) and the Front Door
# logs land in the same workspace and are queried from here; an SDK can send traces later.
resource "azurerm_application_insights" "main" {
  name                = var.application_insights_name
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  workspace_id        = azurerm_log_analytics_workspace.main.id
  application_type    = "Node.JS"
  tags                = var.tags
}

resource "azurerm_monitor_action_group" "ops" {
  name                = var.action_group_name
  resource_group_name = azurerm_resource_group.main.name
  short_name          = var.action_group_short_name
  tags                = var.tags

  email_receiver {
    name                    = "operators"
    email_address           = var.alert_email
    use_common_alert_schema = true
  }
}

# Front Door access and WAF logs: the p95 alert reads the access log; the WAF log shows what
# Prevention mode blocked (first thing to read if users report 403s).
resource "azurerm_monitor_diagnostic_setting" "front_door" {
  name                       = local.names.diagnostics
  target_resource_id         = azurerm_cdn_frontdoor_profile.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  enabled_log {
    category = "FrontDoorAccessLog"
  }

  enabled_log {
    category = "FrontDoorWebApplicationFirewallLog"
  }
}

resource "azurerm_monitor_diagnostic_setting" "relay" {
  name                       = local.names.diagnostics
  target_resource_id         = azurerm_relay_namespace.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  enabled_log {
    category = "HybridConnectionsEvent"
  }
}

# 1. Error rate: share of 5xx answers served by Front Door (origin errors and timeouts).
resource "azurerm_monitor_metric_alert" "http_5xx" {
  name                = local.names.alert_5xx
  resource_group_name = azurerm_resource_group.main.name
  scopes              = [azurerm_cdn_frontdoor_profile.main.id]
  description         = "More than ${var.alert_5xx_percent_threshold}% of the cloud copy's responses are 5xx."
  severity            = 1
  frequency           = "PT1M"
  window_size         = "PT5M"
  tags                = var.tags

  criteria {
    metric_namespace = "Microsoft.Cdn/profiles"
    metric_name      = "Percentage5XX"
    aggregation      = "Average"
    operator         = "GreaterThan"
    threshold        = var.alert_5xx_percent_threshold
  }

  action {
    action_group_id = azurerm_monitor_action_group.ops.id
  }
}

# 2. p95 latency. Metric alerts offer no percentiles (TotalLatency is an average), so this is a
# log alert on Front Door's access log; timeTaken is in seconds.
resource "azurerm_monitor_scheduled_query_rules_alert_v2" "p95_latency" {
  name                 = local.names.alert_p95
  resource_group_name  = azurerm_resource_group.main.name
  location             = azurerm_resource_group.main.location
  scopes               = [azurerm_log_analytics_workspace.main.id]
  description          = "95th percentile of the cloud copy's response time above ${var.alert_p95_latency_ms} ms."
  severity             = 2
  evaluation_frequency = "PT5M"
  window_duration      = "PT5M"
  # The AzureDiagnostics table only exists once Front Door has sent its first log.
  skip_query_validation   = true
  auto_mitigation_enabled = true
  tags                    = var.tags

  criteria {
    query                   = <<-KQL
      AzureDiagnostics
      | where Category == "FrontDoorAccessLog"
      | where requestUri_s !contains "/healthz"
      | summarize p95_ms = percentile(todouble(timeTaken_s) * 1000, 95)
    KQL
    time_aggregation_method = "Maximum"
    metric_measure_column   = "p95_ms"
    operator                = "GreaterThan"
    threshold               = var.alert_p95_latency_ms

    failing_periods {
      minimum_failing_periods_to_trigger_alert = 1
      number_of_evaluation_periods             = 1
    }
  }

  action {
    action_groups = [azurerm_monitor_action_group.ops.id]
  }
}

# 3. ERP failures (unavailable, timed out) as the app logs them. When the app exposes its
# Prometheus metrics, a counter of ERP failures can replace this log search.
resource "azurerm_monitor_scheduled_query_rules_alert_v2" "erp_failures" {
  name                    = local.names.alert_erp
  resource_group_name     = azurerm_resource_group.main.name
  location                = azurerm_resource_group.main.location
  scopes                  = [azurerm_log_analytics_workspace.main.id]
  description             = "The cloud copy logged more than ${var.alert_erp_failures_threshold} ERP failures in 5 minutes: relay, link service or ERP."
  severity                = 1
  evaluation_frequency    = "PT5M"
  window_duration         = "PT5M"
  skip_query_validation   = true
  auto_mitigation_enabled = true
  tags                    = var.tags

  criteria {
    query                   = <<-KQL
      ContainerAppConsoleLogs_CL
      | where ContainerAppName_s == "${azurerm_container_app.app.name}"
      | where ${join(" or ", [for m in var.erp_failure_log_markers : "Log_s contains ${jsonencode(m)}"])}
      | summarize failures = count()
    KQL
    time_aggregation_method = "Total"
    metric_measure_column   = "failures"
    operator                = "GreaterThan"
    threshold               = var.alert_erp_failures_threshold

    failing_periods {
      minimum_failing_periods_to_trigger_alert = 1
      number_of_evaluation_periods             = 1
    }
  }

  action {
    action_groups = [azurerm_monitor_action_group.ops.id]
  }
}

# 4. No link service listening on the hybrid connection: every ERP call from the cloud fails
# (502). The link service is meant to stay connected all week, so these alerts are always on.
# a. The relay's ActiveListeners metric below 1. A static metric alert only fires on values it
#    receives: if the metric stops being emitted, it stays silent (hence b).
resource "azurerm_monitor_metric_alert" "relay_listeners" {
  name                = local.names.alert_relay_listeners
  resource_group_name = azurerm_resource_group.main.name
  scopes              = [azurerm_relay_namespace.main.id]
  description         = "No on-prem link service listens on hybrid connection ${azurerm_relay_hybrid_connection.erp.name}."
  severity            = 1
  frequency           = "PT1M"
  window_size         = "PT5M"
  tags                = var.tags

  # ActiveListeners is a per-minute count whose documented aggregation is Total: a window total
  # below 1 means no listener in any minute of the last five.
  criteria {
    metric_namespace = "Microsoft.Relay/namespaces"
    metric_name      = "ActiveListeners"
    aggregation      = "Total"
    operator         = "LessThan"
    threshold        = 1

    dimension {
      name     = "EntityName"
      operator = "Include"
      values   = [azurerm_relay_hybrid_connection.erp.name]
    }
  }

  action {
    action_group_id = azurerm_monitor_action_group.ops.id
  }
}

# b. The link services' own heartbeat (LINK_HEARTBEAT_CONNECTION_STRING, output
#    link_service_heartbeat_connection_string): while listening on the relay, each sends the event
#    TimesheetLinkListening every minute. The query counts the link services heard from in the
#    window; `summarize` without `by` returns one row even when no event arrived at all (dcount of
#    nothing is 0), so silence is a breach, not a gap.
resource "azurerm_monitor_scheduled_query_rules_alert_v2" "link_heartbeat" {
  name                 = local.names.alert_link_heartbeat
  resource_group_name  = azurerm_resource_group.main.name
  location             = azurerm_resource_group.main.location
  scopes               = [azurerm_log_analytics_workspace.main.id]
  description          = "Fewer than ${var.link_service_min_listeners} on-prem link service(s) said they listen on hybrid connection ${azurerm_relay_hybrid_connection.erp.name} in the last 5 minutes (no heartbeat counts as none)."
  severity             = 1
  evaluation_frequency = "PT5M"
  window_duration      = "PT5M"
  # AppEvents only exists once the first event has arrived.
  skip_query_validation   = true
  auto_mitigation_enabled = true
  tags                    = var.tags

  criteria {
    query                   = <<-KQL
      AppEvents
      | where Name == "TimesheetLinkListening"
      | where tostring(Properties.hybridConnection) == "${azurerm_relay_hybrid_connection.erp.name}"
      | summarize listeners = dcount(tostring(Properties.instance))
    KQL
    time_aggregation_method = "Minimum"
    metric_measure_column   = "listeners"
    operator                = "LessThan"
    threshold               = var.link_service_min_listeners

    failing_periods {
      minimum_failing_periods_to_trigger_alert = 1
      number_of_evaluation_periods             = 1
    }
  }

  action {
    action_groups = [azurerm_monitor_action_group.ops.id]
  }
}
