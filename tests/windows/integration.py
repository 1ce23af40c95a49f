#!/usr/bin/env python3
"""integration.py: dotpha.exe under wine against the real Linux dotphad.

Starts build/dotphad on 127.0.0.1 serving TLS with a certificate made for
the run (`dotphad gen-cert`, as tests/helpers.c daemon_start does), sets
the registry up with the Linux client, then drives
build/windows/dotpha.exe under wine as an office would: login with the
pinned fingerprint (and refused with a wrong one), task list, update add
with Vietnamese text (checked byte for byte on the server), attach and
download of 5 MB with SHA-256, --ca (trusted; another CA and a certificate
for another address refused), the offline queue with the daemon stopped
and sync after it starts again, long text from a file and from standard
input, report --csv written in binary, on stdout and with -o, and
report --xlsx compared with the Linux client's workbook.
Also checks with objdump that the exe imports no DLL beyond Windows' own,
and, given DOTPHA_WIN_SETUP (the installer), that it puts dotpha on the
PATH and that its uninstaller takes it off.

Usage: python3 tests/windows/integration.py (from the repository; needs
`make all windows`).  WINEPREFIX: a fresh one under the run's temporary
directory unless DOTPHA_WINEPREFIX names one to reuse.  Exit 0 if every
check passed, 1 with the failures listed.
"""
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

BUILD = os.environ.get('DOTPHA_BUILD', 'build')
EXE = os.path.join(BUILD, 'windows', 'dotpha.exe')
DAEMON = os.path.join(BUILD, 'dotphad')
CLIENT = os.path.join(BUILD, 'dotpha')
PLATFORM = os.path.join(BUILD, 'windows', 'test_platform.exe')
# The DLLs every Windows has (no redistributable, no mingw runtime).
SYSTEM_DLLS = {'advapi32.dll', 'bcrypt.dll', 'crypt32.dll', 'kernel32.dll', 'msvcrt.dll',
               'secur32.dll', 'ws2_32.dll', 'user32.dll', 'ntdll.dll'}
DONE = 'Đã rà soát, lập hồ sơ đề nghị công nhận — “xã nông thôn mới” ở Hợp Thành; chỉ tiêu ≥ 95%'

failures = []


def check(ok, what, detail=''):
    print(('ok   ' if ok else 'FAIL ') + what + ('' if ok else ': ' + str(detail)[:2000]))
    if not ok:
        failures.append(what)
    return ok


def der(buf, pos):
    """The (tag, start of contents, end of contents) of the DER item at pos."""
    tag, n = buf[pos], buf[pos + 1]
    pos += 2
    if n & 0x80:
        k = n & 0x7f
        n = int.from_bytes(buf[pos:pos + k], 'big')
        pos += k
    return tag, pos, pos + n


def full_width_signature(pem_path):
    """True if the ECDSA signature of the certificate has r and s of 32
    bytes each.  Wine's crypt32 cannot verify one whose r or s is shorter
    (Windows can), so the certificates the --ca checks use are made until
    neither is: a wine defect, not dotpha's."""
    text = open(pem_path).read().split('-----')[2]
    cert = base64.b64decode(''.join(text.split()))
    _, pos, end = der(cert, 0)
    for _ in range(2):                     # tbsCertificate, signatureAlgorithm
        pos = der(cert, pos)[2]
    _, bits, _ = der(cert, pos)            # the BIT STRING
    _, pos, _ = der(cert, bits + 1)        # its SEQUENCE { r, s }
    widths = []
    for _ in range(2):
        _, a, b = der(cert, pos)
        widths.append(len(cert[a:b].lstrip(b'\0')))
        pos = b
    return widths == [32, 32]


class Daemon:
    def __init__(self, tmp, names=('127.0.0.1', 'localhost')):
        self.tmp = tmp
        self.db = os.path.join(tmp, 'dotpha.db')
        self.cert = os.path.join(tmp, 'cert.pem')
        self.key = os.path.join(tmp, 'key.pem')
        self.port = 0
        self.proc = None
        gen = [DAEMON, 'gen-cert', '--cert', self.cert, '--key', self.key]
        for n in names:
            gen += ['--name', n]
        for _ in range(100):
            for f in (self.cert, self.key):
                if os.path.exists(f):
                    os.unlink(f)
            out = subprocess.run(gen, capture_output=True, text=True, check=True).stdout
            if full_width_signature(self.cert):
                break
        self.fingerprint = out.split('fingerprint: ', 1)[1].split('\n', 1)[0].strip()

    def start(self):
        portfile = os.path.join(self.tmp, 'port')
        if os.path.exists(portfile):
            os.unlink(portfile)
        log = open(os.path.join(self.tmp, 'dotphad.log'), 'ab')
        self.proc = subprocess.Popen([DAEMON, '--listen', '127.0.0.1:%d' % self.port,
                                      '--db', self.db, '--port-file', portfile,
                                      '--tls-cert', self.cert, '--tls-key', self.key],
                                     stderr=log, stdout=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit('dotphad exited; see ' + log.name)
            try:
                with open(portfile) as f:
                    self.port = int(f.read().strip())
                if self.port > 0:
                    break
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
        with open(self.db + '.admin-token') as f:
            self.token = f.read().strip()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None


def linux(d, *args):
    """The Linux client, signed in as admin, pinned: sets the registry up
    and reads back what the server holds."""
    env = dict(os.environ, DOTPHA_TOKEN=d.token, DOTPHA_LANG='vi')
    r = subprocess.run([CLIENT, '--server', '127.0.0.1:%d' % d.port, '--fingerprint',
                        d.fingerprint] + list(args), capture_output=True, env=env)
    if r.returncode != 0:
        raise SystemExit('dotpha %s: %s' % (' '.join(args), r.stderr.decode()))
    return r.stdout


def wine_env(prefix):
    env = dict(os.environ, WINEPREFIX=prefix, WINEDEBUG='-all', DISPLAY='', LANG='C.UTF-8',
               LC_ALL='C.UTF-8')
    # Where dotpha.exe keeps its config is Windows' own (%APPDATA%).
    for k in ('XDG_CONFIG_HOME', 'DOTPHA_TOKEN', 'DOTPHA_SERVER', 'DOTPHA_LANG'):
        env.pop(k, None)
    return env


def win(env, *args, stdin=None):
    r = subprocess.run(['wine', EXE] + list(args), input=stdin, capture_output=True, env=env,
                       timeout=120)
    return r.returncode, r.stdout, r.stderr.decode('utf-8', 'replace')


def main():
    for f in (EXE, DAEMON, CLIENT):
        if not os.path.exists(f):
            raise SystemExit('%s is missing: make all windows' % f)
    tmp = tempfile.mkdtemp(prefix='dotpha-win-')
    d = Daemon(tmp)
    try:
        run(d, tmp)
    finally:
        d.stop()
        if not failures:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print('kept ' + tmp)
    print('%d failure(s)' % len(failures) if failures else 'all passed')
    return 1 if failures else 0


def installer(env, setup):
    """The NSIS installer, silent: dotpha on the user's PATH, then gone."""
    def cmd(line):
        r = subprocess.run(['wine', 'cmd', '/c', line], capture_output=True, env=env, timeout=120)
        return r.returncode, r.stdout.decode('utf-8', 'replace')
    r = subprocess.run(['wine', setup, '/S'], capture_output=True, env=env, timeout=120)
    check(r.returncode == 0, 'the installer runs (silent)', r.stderr)
    rc, out = cmd('dotpha --version')
    check(rc == 0 and out.startswith('dotpha '), 'after installing, `dotpha` is on the PATH', out)
    home = r'%LOCALAPPDATA%\Programs\dotpha'
    rc, out = cmd(home + r'\uninstall.exe /S _?=' + home)
    check(rc == 0, 'the uninstaller runs (silent)', out)
    rc, out = cmd('dotpha --version')
    check(rc != 0, 'after uninstalling, `dotpha` is gone from the PATH', out)


def run(d, tmp):
    dump = subprocess.run(['x86_64-w64-mingw32-objdump', '-p', EXE], capture_output=True,
                          text=True, check=True).stdout
    dlls = {l.split('DLL Name:')[1].strip().lower() for l in dump.splitlines() if 'DLL Name:' in l}
    check(dlls and dlls <= SYSTEM_DLLS, 'dotpha.exe imports only Windows\' own DLLs',
          sorted(dlls - SYSTEM_DLLS))

    prefix = os.environ.get('DOTPHA_WINEPREFIX') or os.path.join(tmp, 'wineprefix')
    env = wine_env(prefix)
    t0 = time.time()
    subprocess.run(['wineboot', '-i'], env=env, capture_output=True, timeout=300)
    print('wine prefix ready in %.0f s' % (time.time() - t0))
    if os.environ.get('DOTPHA_WIN_SETUP'):
        installer(env, os.environ['DOTPHA_WIN_SETUP'])

    d.start()
    linux(d, 'unit', 'create', 'TU', 'Tỉnh ủy Tuyên Quang', '--level', 'tỉnh', '--from', '01/01/2000')
    linux(d, 'cadre', 'create', 'CB-BT', 'Nguyễn Văn Ánh', '--title', 'Bí thư Tỉnh ủy', '--unit',
          'TU', '--managed-by', 'TU', '--since', '01/01/2021')
    linux(d, 'term', 'create', '2021-2025', '--kind', 'term', '--start', '01/01/2021', '--end',
          '31/12/2025')
    linux(d, 'task', 'create', '--title', 'Xây dựng xã nông thôn mới nâng cao', '--kind',
          'breakthrough', '--field', 'livelihood', '--owner', 'CB-BT', '--term', '2021-2025',
          '--product', 'Quyết định công nhận', '--due', '31/12/2025')
    linux(d, 'task', 'assign', '1', '--decision', '15-QĐ/TU', '--date', '15/03/2021')
    server = '127.0.0.1:%d' % d.port

    # Login: a wrong pin refuses before the token leaves; the right one saves it.
    wrong = 'AB:' * 31 + 'AB'
    rc, out, err = win(env, 'login', '--server', server, '--fingerprint', wrong, '--token', d.token)
    check(rc != 0 and wrong in err, 'login with a wrong fingerprint is refused', (rc, err))
    rc, out, err = win(env, 'login', '--server', server, '--fingerprint', d.fingerprint,
                       '--token', d.token)
    check(rc == 0, 'login over TLS with the pinned fingerprint', (rc, err))
    rc, out, err = win(env, 'task', 'list')
    check(rc == 0 and 'Xây dựng xã nông thôn mới nâng cao'.encode() in out,
          'task list with the saved config (%APPDATA%\\dotpha)', (rc, err, out))

    # --ca FILE: the chain against that file alone, and the name (an
    # address matched against the certificate's IP names).
    rc, out, err = win(env, '--server', server, '--ca', d.cert, 'server', 'info')
    check(rc == 0 and b'dotphad' in out, '--ca with the server\'s CA is trusted', (rc, err))
    rc, out, err = win(env, '--server', 'localhost:%d' % d.port, '--ca', d.cert, 'server', 'info')
    check(rc == 0, '--ca with the server named by its DNS name', (rc, err))
    other_dir = os.path.join(tmp, 'other')
    os.mkdir(other_dir)
    other = Daemon(other_dir, names=['10.1.1.1'])
    rc, out, err = win(env, '--server', server, '--ca', other.cert, 'server', 'info')
    check(rc == 3 and 'KHÔNG ĐƯỢC TIN CẬY' in err, '--ca with another CA is refused', (rc, err))
    other.start()
    rc, out, err = win(env, '--server', '127.0.0.1:%d' % other.port, '--ca', other.cert,
                       'server', 'info')
    other.stop()
    check(rc == 3 and "KHÔNG CẤP CHO '127.0.0.1'" in err,
          '--ca: a certificate for another address is refused', (rc, err))

    # Typed in cmd.exe: cmd hands dotpha.exe its command line in UTF-16.
    typed = 'Xã Đồng Tâm — “mới” ≥ 95%'
    r = subprocess.run(['wine', 'cmd', '/c', EXE.replace('/', '\\'), 'update', 'add', '1',
                        '--percent', '30', '--done', typed], capture_output=True, env=env,
                       timeout=120)
    rows = json.loads(linux(d, '--json', 'update', 'list', '1', '--all'))
    items = rows['items'] if isinstance(rows, dict) else rows
    check(r.returncode == 0 and any(i.get('done') == typed for i in items),
          'text typed in cmd.exe arrives byte for byte', (r.returncode, r.stderr, items))

    # Vietnamese text typed on the command line arrives byte for byte.
    rc, out, err = win(env, 'update', 'add', '1', '--percent', '40', '--done', DONE)
    check(rc == 0, 'update add with Vietnamese text', (rc, err))
    rows = json.loads(linux(d, '--json', 'update', 'list', '1', '--all'))
    items = rows['items'] if isinstance(rows, dict) else rows
    check(any(r.get('done', '').encode() == DONE.encode() for r in items),
          'the server holds the text byte for byte', items)

    # Long text with line breaks, which cmd.exe cannot type: from a file
    # as Notepad saves it (BOM, CRLF), and from standard input.
    notes = os.path.join(tmp, 'ghi chú.txt')
    with open(notes, 'wb') as f:
        f.write(b'\xef\xbb\xbf' + '\r\n'.join([DONE] * 3).encode() + b'\r\n')
    rc, out, err = win(env, 'update', 'add', '1', '--percent', '45', '--done-file', notes)
    check(rc == 0, 'update add --done-file (a Notepad file)', (rc, err))
    rc, out, err = win(env, 'update', 'add', '1', '--percent', '50', '--done', '-',
                       stdin=('Dòng một\nDòng hai: ' + DONE + '\n').encode())
    check(rc == 0, 'update add --done - (standard input)', (rc, err))
    rows = json.loads(linux(d, '--json', 'update', 'list', '1', '--all'))
    items = rows['items'] if isinstance(rows, dict) else rows
    done = [r.get('done', '') for r in items]
    check('\n'.join([DONE] * 3) in done, 'the file\'s text arrives with LF line ends, no BOM', done)
    check('Dòng một\nDòng hai: ' + DONE in done, 'standard input\'s text arrives byte for byte', done)

    # A file of 5 MB there and back, its SHA-256 unchanged.
    data = os.urandom(5 * 1024 * 1024)
    src = os.path.join(tmp, 'biên bản.bin')
    with open(src, 'wb') as f:
        f.write(data)
    rc, out, err = win(env, '--json', 'attach', '1', src)
    check(rc == 0, 'attach 5 MB (a file name with diacritics)', (rc, err))
    fid = json.loads(out)['id'] if rc == 0 else 0
    back = os.path.join(tmp, 'tải về.bin')
    rc, out, err = win(env, 'download', str(fid), '-o', back)
    ok = rc == 0 and os.path.exists(back)
    check(ok and hashlib.sha256(open(back, 'rb').read()).hexdigest() ==
          hashlib.sha256(data).hexdigest(), 'download 5 MB, SHA-256 equal', (rc, err))

    # The offline queue: kept while the daemon is down, sent by sync.
    d.stop()
    rc, out, err = win(env, 'update', 'add', '1', '--percent', '60', '--done', 'Báo cáo khi mất mạng')
    check(rc == 8, 'update add with the server down is queued (exit 8)', (rc, err))
    d.start()
    rc, out, err = win(env, 'sync')
    check(rc == 0, 'sync after the daemon starts again', (rc, err, out))
    rows = json.loads(linux(d, '--json', 'update', 'list', '1', '--all'))
    items = rows['items'] if isinstance(rows, dict) else rows
    check(sum(r.get('done') == 'Báo cáo khi mất mạng' for r in items) == 1,
          'the queued update reached the server once', items)

    # The CSV on stdout is what a redirect stores: CRLF once, never "\r\r\n".
    rc, out, err = win(env, 'report', '--term', '2021-2025', '--csv')
    check(rc == 0 and out.startswith(b'\xef\xbb\xbf') and b'\r\n' in out and b'\r\r\n' not in out,
          'report --csv on stdout is binary (BOM, CRLF, no \\r\\r\\n)', (rc, err, out[:200]))
    ref = linux(d, 'report', '--term', '2021-2025', '--csv')
    check(out == ref, 'report --csv is byte for byte the Linux client\'s', (out[:300], ref[:300]))
    csv = os.path.join(tmp, 'báo cáo.csv')
    rc, out, err = win(env, 'report', '--term', '2021-2025', '--csv', '-o', csv)
    check(rc == 0 and out == b'' and os.path.exists(csv) and open(csv, 'rb').read() == ref,
          'report --csv -o FILE writes the same bytes to FILE', (rc, err))

    # The Excel workbook (libxlsxwriter from Debian's source package): the
    # same sheets as the Linux client's, under a name with diacritics.
    book = os.path.join(tmp, 'báo cáo.xlsx')
    rc, out, err = win(env, 'report', '--term', '2021-2025', '--xlsx', book)
    ok = rc == 0 and os.path.exists(book)
    check(ok, 'report --xlsx writes a workbook', (rc, err))
    linux_book = os.path.join(tmp, 'linux.xlsx')
    linux(d, 'report', '--term', '2021-2025', '--xlsx', linux_book)
    if ok:
        with zipfile.ZipFile(book) as w, zipfile.ZipFile(linux_book) as l:
            parts = [n for n in l.namelist() if n.startswith('xl/') and n.endswith('.xml')]
            same = [n for n in parts if n in w.namelist() and w.read(n) == l.read(n)]
        check(parts and same == parts, 'its sheets are byte for byte the Linux client\'s',
              sorted(set(parts) - set(same)))

    # Last: the token file made readable by others, dotpha refuses it.
    if os.path.exists(PLATFORM):
        # The token file's ACL stands for its mode: readable by Everyone, refused.
        r = subprocess.run(['wine', 'cmd', '/c', PLATFORM.replace('/', '\\'),
                            '--let-everyone-read', r'%APPDATA%\dotpha\config'],
                           capture_output=True, env=env, timeout=120)
        rc, out, err = win(env, 'task', 'list')
        check(r.returncode == 0 and rc == 2 and '`dotpha login`' in err,
              'a token file Everyone may read is refused (exit 2), login named to mend it',
              (r.returncode, rc, err))
        rc, out, err = win(env, 'login', '--fingerprint', d.fingerprint, '--token', d.token)
        rc2, out, err2 = win(env, 'task', 'list')
        check(rc == 0 and rc2 == 0, 'after `dotpha login` the token file is private again',
              (rc, err, rc2, err2))

if __name__ == '__main__':
    sys.exit(main())
