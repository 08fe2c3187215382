// The week flow over HTTP against the on-prem target: SQL sessions, ERP over direct SOAP.
import { weekFlowScenarios } from './week-flow-scenarios.js';

weekFlowScenarios('onprem');
