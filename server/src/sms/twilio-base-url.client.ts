import RequestClient from 'twilio/lib/base/RequestClient';

/**
 * A Twilio `RequestClient` that sends every REST call to another base URL (an egress proxy, a mock
 * carrier, a test server) instead of `https://*.twilio.com`. The path is kept, so the far end sees
 * `/2010-04-01/Accounts/AC…/Messages.json` as Twilio would.
 *
 * @example new TwilioSmsAdapter({ …, httpClient: new BaseUrlRequestClient('http://127.0.0.1:4010') })
 */
export class BaseUrlRequestClient extends RequestClient {
  private readonly base: string;

  constructor(baseUrl: string, opts?: RequestClient.RequestClientOptions) {
    super({ keepAlive: false, ...opts });
    this.base = baseUrl.replace(/\/+$/, '');
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const url = new URL(opts.uri);
    return super.request<TData>({ ...opts, uri: `${this.base}${url.pathname}${url.search}` });
  }
}
