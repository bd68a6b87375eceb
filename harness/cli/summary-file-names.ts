/**
 * The names of the CI-gate files a run leaves beside its reports. Their own module, so that naming them
 * (confcall run removes the last run's before it starts) loads none of the code that writes them.
 */

export const SUMMARY_FILE = 'summary.json';
export const REQUIREMENTS_JUNIT_FILE = 'requirements-junit.xml';
