/**
 * The `node --require` preload of `start.intercept: true` targets: reroutes Microsoft's production
 * hosts to the fake Graph named by CONFCALL_INTERCEPT_GRAPH_URL, for the whole life of the bot.
 */
import { interceptProductionHosts } from './intercept-production-hosts.cjs';
import { INTERCEPT_GRAPH_URL_ENV } from './intercept-variable.cjs';

const graphUrl = process.env[INTERCEPT_GRAPH_URL_ENV];
if (graphUrl) {
  interceptProductionHosts(graphUrl);
} else {
  process.stderr.write(`confcall intercept preload: ${INTERCEPT_GRAPH_URL_ENV} is not set, so nothing is rerouted (confcall sets it for targets with start.intercept: true)\n`);
}
