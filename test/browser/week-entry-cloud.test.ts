// A person fills a week in Chromium against the cloud target (Azurite sessions, ERP through the relay).
import { weekEntryScenarios } from './week-entry-scenarios.js';

weekEntryScenarios('cloud');
