import { loadConfig } from './config';

describe('configuration', () => {
  it('when nothing is set, then the embedded defaults apply and the demo key is flagged', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, DATA_DIR: './data', dataKeyIsDemo: true, SEED_DEMO: 'auto' });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.ASTERISK_AMI_URL).toBeUndefined();
  });

  it('when nothing is set, then sessions idle out after 30 minutes and a user holds at most 3', () => {
    expect(loadConfig({})).toMatchObject({ SESSION_IDLE_MINUTES: 30, SESSION_TTL_MINUTES: 480, SESSION_MAX_PER_USER: 3, SESSION_SWEEP_SECONDS: 15, LOGIN_IP_MAX_FAILURES: 50 });
  });

  it('when an AMI URL is given, then host, port, user and secret are parsed', () => {
    const c = loadConfig({ ASTERISK_AMI_URL: 'ami://hotline:s%40cret@10.0.0.5:5039' });
    expect(c.ASTERISK_AMI_URL).toEqual({ host: '10.0.0.5', port: 5039, username: 'hotline', secret: 's@cret' });
  });

  it('when a variable is empty, then it counts as unset', () => {
    expect(loadConfig({ ASTERISK_AMI_URL: '', DATABASE_URL: '' }).ASTERISK_AMI_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ ASTERISK_AMI_URL: 'http://a:b@host' }, 'ASTERISK_AMI_URL'],
    [{ ASTERISK_AMI_URL: 'ami://host:5038' }, 'ASTERISK_AMI_URL'],
    [{ ANXIN_DATA_KEY: 'short' }, 'ANXIN_DATA_KEY'],
    [{ NODE_ENV: 'production' }, 'ANXIN_DATA_KEY'],
    [{ NODE_ENV: 'production', ANXIN_DATA_KEY: 'k'.repeat(32), SEED_DEMO: 'always' }, 'SEED_DEMO'],
    [{ ANXIN_INITIAL_ADMIN_PASSWORD: 'short' }, 'ANXIN_INITIAL_ADMIN_PASSWORD'],
    [{ CONSOLE_ORIGIN: 'console.example.org' }, 'CONSOLE_ORIGIN'],
    [{ ROOT_DISTRICT_CODE: '33' }, 'ROOT_DISTRICT_CODE'],
  ])('when %p, then startup fails naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(name);
  });
});
