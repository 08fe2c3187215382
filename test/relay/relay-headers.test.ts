import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRelayMessage } from '../../src/relay/protocol.js';
import { forwardableHeaders, queryParameter, splitTarget, stripRelayQuery } from '../../src/relay/relay-headers.js';

describe('relay headers and queries', () => {
  it('keeps ?wsdl exactly as written', () => {
    assert.equal(stripRelayQuery('wsdl'), 'wsdl');
    assert.equal(stripRelayQuery('wsdl&sb-hc-token=SharedAccessSignature%20sr%3Dx'), 'wsdl');
  });

  it('strips every sb-hc- parameter and keeps the others in order, encoding untouched', () => {
    assert.equal(stripRelayQuery('a=1&sb-hc-action=x&SB-HC-ID=2&b=%2F+c&flag'), 'a=1&b=%2F+c&flag');
    assert.equal(stripRelayQuery('sb-hc-token=t'), '');
  });

  it('reads a parameter decoded', () => {
    assert.equal(
      queryParameter('x=1&sb-hc-token=SharedAccessSignature%20sr%3Da', 'sb-hc-token'),
      'SharedAccessSignature sr=a',
    );
    assert.equal(queryParameter('x=1', 'y'), undefined);
  });

  it('splits a target textually', () => {
    assert.deepEqual(splitTarget('/erp/erp?wsdl'), { path: '/erp/erp', query: 'wsdl' });
    assert.deepEqual(splitTarget('/erp'), { path: '/erp', query: '' });
  });

  it('drops hop-by-hop headers, those named by Connection and the ones asked for; joins repeated ones', () => {
    const raw = [
      'Host',
      'relay',
      'Connection',
      'keep-alive, X-Hop',
      'Content-Length',
      '5',
      'Transfer-Encoding',
      'chunked',
      'X-Hop',
      'a',
      'ServiceBusAuthorization',
      'secret',
      'SOAPAction',
      '"urn:x"',
      'Accept',
      'text/xml',
      'accept',
      'application/xml',
      'Via',
      '1.1 proxy',
    ];
    assert.deepEqual(forwardableHeaders(raw, new Set(['servicebusauthorization'])), {
      SOAPAction: '"urn:x"',
      Accept: 'text/xml, application/xml',
      Via: '1.1 proxy',
    });
  });

  it('reads a response whose status code is a string, as in the protocol document', () => {
    const message = parseRelayMessage('{"response":{"requestId":"r1","statusCode":"200","body":true}}');
    assert.deepEqual(message, { response: { requestId: 'r1', statusCode: 200, body: true } });
  });

  it('refuses a control message that is not one of the protocol', () => {
    assert.equal(parseRelayMessage('{"hello":1}'), undefined);
    assert.equal(parseRelayMessage('not json'), undefined);
  });
});
