// A person fills a week in Chromium against the on-prem target.
import { weekEntryScenarios } from './week-entry-scenarios.js';

weekEntryScenarios('onprem');
