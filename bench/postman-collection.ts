import type { SentNotification } from './figures/delivery-throughput.js';

/** A Postman collection (format v2.1) that POSTs the given notifications in order, with their tokens. */
export function postmanCollection(name: string, sent: SentNotification[]): object {
  return {
    info: { name, schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: sent.map((s, index) => ({
      name: `notification ${index + 1}`,
      request: {
        method: 'POST',
        header: [
          { key: 'Content-Type', value: 'application/json' },
          { key: 'Authorization', value: `Bearer ${s.bearer}` },
        ],
        body: { mode: 'raw', raw: JSON.stringify(s.body), options: { raw: { language: 'json' } } },
        url: s.url,
      },
    })),
  };
}
