// The week flow over HTTP against the cloud target: sessions in Azure Table Storage (Azurite),
// the ERP through the relay emulator and the link service.
import { weekFlowScenarios } from './week-flow-scenarios.js';

weekFlowScenarios('cloud');
