import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirFor, demoEnabled, LaunchArgError, open311LaunchFor, parseArgs } from './args';

describe('launch arguments', () => {
  it('reads --wall and --demo among Electron and Chromium switches', () => {
    expect(parseArgs(['/usr/bin/watchfloor'])).toEqual({ wall: false, demo: false });
    expect(
      parseArgs(['/usr/lib/electron', '.', '--no-sandbox', '--wall', '--enable-logging=stderr']),
    ).toEqual({
      wall: true,
      demo: false,
    });
    expect(parseArgs(['watchfloor', '--demo', 'wall'])).toEqual({ wall: false, demo: true });
  });

  it('turns demo mode on by flag or WATCHFLOOR_DEMO=1', () => {
    expect(demoEnabled({ wall: false, demo: true }, {})).toBe(true);
    expect(demoEnabled({ wall: false, demo: false }, { WATCHFLOOR_DEMO: '1' })).toBe(true);
    expect(demoEnabled({ wall: false, demo: false }, { WATCHFLOOR_DEMO: '0' })).toBe(false);
    expect(demoEnabled({ wall: false, demo: false }, {})).toBe(false);
  });

  it('keeps data in <userData>/data unless WATCHFLOOR_DATA_DIR says otherwise', () => {
    expect(dataDirFor('/home/op/.config/Watchfloor', {})).toBe(join('/home/op/.config/Watchfloor', 'data'));
    expect(dataDirFor('/home/op/.config/Watchfloor', { WATCHFLOOR_DATA_DIR: '/srv/wf' })).toBe('/srv/wf');
    expect(dataDirFor('/u', { WATCHFLOOR_DATA_DIR: '  ' })).toBe(join('/u', 'data'));
  });

  it('leaves the Open311 API off unless a port is given', () => {
    expect(open311LaunchFor(['/usr/bin/watchfloor', '--wall'], {})).toBeNull();
    expect(open311LaunchFor(['watchfloor'], { WATCHFLOOR_OPEN311_PORT: '  ' })).toBeNull();
    // A key or a host alone turns nothing on.
    expect(
      open311LaunchFor(['watchfloor'], {
        WATCHFLOOR_OPEN311_API_KEY: 'k',
        WATCHFLOOR_OPEN311_HOST: '0.0.0.0',
      }),
    ).toBeNull();
  });

  it('reads --open311-port (either spelling) or WATCHFLOOR_OPEN311_PORT, the flag first', () => {
    expect(open311LaunchFor(['electron', '.', '--no-sandbox', '--open311-port', '7421'], {})).toEqual({
      host: '127.0.0.1',
      port: 7421,
      apiKey: null,
    });
    expect(open311LaunchFor(['watchfloor', '--open311-port=8080'], {})?.port).toBe(8080);
    expect(open311LaunchFor(['watchfloor'], { WATCHFLOOR_OPEN311_PORT: ' 7421 ' })?.port).toBe(7421);
    expect(
      open311LaunchFor(['watchfloor', '--open311-port', '9000'], { WATCHFLOOR_OPEN311_PORT: 'nonsense' })
        ?.port,
    ).toBe(9000);
  });

  it('takes the host and the API key from the environment', () => {
    expect(
      open311LaunchFor(['watchfloor', '--open311-port', '7421'], {
        WATCHFLOOR_OPEN311_HOST: '0.0.0.0',
        WATCHFLOOR_OPEN311_API_KEY: '  s3cret ',
      }),
    ).toEqual({ host: '0.0.0.0', port: 7421, apiKey: 's3cret' });
    expect(
      open311LaunchFor(['watchfloor'], { WATCHFLOOR_OPEN311_PORT: '7421', WATCHFLOOR_OPEN311_HOST: '[::1]' })
        ?.host,
    ).toBe('::1');
    expect(
      open311LaunchFor(['watchfloor'], { WATCHFLOOR_OPEN311_PORT: '7421', WATCHFLOOR_OPEN311_API_KEY: ' ' })
        ?.apiKey,
    ).toBeNull();
  });

  it.each([
    ['0', /--open311-port "0" is not a port number: give a whole number from 1 to 65535/],
    ['65536', /--open311-port "65536" is not a port number/],
    ['-1', /--open311-port "-1" is not a port number/],
    ['74.21', /--open311-port "74.21" is not a port number/],
    ['abc', /--open311-port "abc" is not a port number/],
    ['', /--open311-port "" is not a port number/],
  ])('refuses --open311-port %j with a clear message', (value, message) => {
    expect(() => open311LaunchFor(['watchfloor', '--open311-port', value], {})).toThrow(message);
    expect(() => open311LaunchFor(['watchfloor', `--open311-port=${value}`], {})).toThrow(LaunchArgError);
  });

  it('refuses a missing flag value, a bad WATCHFLOOR_OPEN311_PORT and a bad host', () => {
    expect(() => open311LaunchFor(['watchfloor', '--open311-port'], {})).toThrow(
      /--open311-port needs a port number, for example --open311-port 7421/,
    );
    expect(() => open311LaunchFor(['watchfloor', '--open311-port', '--wall'], {})).toThrow(
      /--open311-port needs a port number/,
    );
    expect(() => open311LaunchFor(['watchfloor'], { WATCHFLOOR_OPEN311_PORT: '99999' })).toThrow(
      /WATCHFLOOR_OPEN311_PORT "99999" is not a port number/,
    );
    expect(() =>
      open311LaunchFor(['watchfloor'], { WATCHFLOOR_OPEN311_PORT: '7421', WATCHFLOOR_OPEN311_HOST: 'a b' }),
    ).toThrow(/WATCHFLOOR_OPEN311_HOST "a b" is not a host name or IP address/);
  });
});
