#!/bin/sh
# mkdeb.sh WORK VERSION OUT: makes the .deb from the tree `make install`
# put in WORK/debian/dotpha (PREFIX=/usr), with dpkg-deb alone (no
# debhelper).  Depends is computed by dpkg-shlibdeps from the libraries
# the two programs load (so a test tool never lands there).  Prints the
# path of the package.  Run by `make deb`.
set -eu

work=$1 version=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$work/debian/dotpha
arch=$(dpkg --print-architecture)

# The manual pages and completion scripts are in the tree already: `make
# install` ran install-man and install-completion (gzip -9n pages).
[ -f "$root/usr/share/man/man1/dotpha.1.gz" ] && [ -f "$root/usr/share/man/vi/man1/dotpha.1.gz" ] &&
	[ -f "$root/usr/share/man/man8/dotphad.8.gz" ] &&
	[ -f "$root/usr/share/bash-completion/completions/dotpha" ] ||
	{ echo "mkdeb.sh: the manual pages or the completion are missing from $root" >&2; exit 1; }

# Stripped copies in the package (the build keeps its symbols).
strip --strip-unneeded "$root/usr/bin/dotpha" "$root/usr/sbin/dotphad"

# dpkg-shlibdeps reads debian/control and wants the binaries under
# debian/PACKAGE: both are there.
mkdir -p "$work/debian" "$root/DEBIAN"
printf 'Source: dotpha\n\nPackage: dotpha\nArchitecture: any\n' > "$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O -edebian/dotpha/usr/sbin/dotphad \
	-edebian/dotpha/usr/bin/dotpha | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "mkdeb.sh: dpkg-shlibdeps found no dependency" >&2; exit 1; }

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: dotpha
Version: $version
Architecture: $arch
Maintainer: dotpha maintainers <dotpha@localhost>
Installed-Size: $size
Depends: $depends
Section: net
Priority: optional
Description: registry of breakthrough and innovation tasks (daemon and client)
 dotphad keeps the province's breakthrough and innovation tasks (units,
 cadres, terms, tasks and their progress) in SQLite and serves them over
 MessagePack-RPC, with TLS; dotpha is the command-line client the offices
 use.  The package installs dotphad.service (Type=notify, user dotpha,
 data in /var/lib/dotpha) and a nightly backup timer, neither enabled,
 the manual pages dotpha(1) (English, and Vietnamese under man/vi) and
 dotphad(8), and bash and zsh completion for dotpha.
CONTROL
printf '/etc/dotpha/dotphad.conf\n/etc/dotpha/dotphad-backup.conf\n' > "$root/DEBIAN/conffiles"
for s in postinst prerm postrm; do
	install -m 0755 "$here/$s" "$root/DEBIAN/$s"
done
deb=$out/dotpha_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
