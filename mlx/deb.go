package mlx

// Some data sets ship as Debian packages: the Debian FAQ (debian-faq,
// debian-faq-ko) and Fashion-MNIST (dataset-fashion-mnist). This file fetches
// such a package from Debian's archive and copies chosen files out of it, in
// Go, without root and without apt.
//
// A .deb is an ar archive: the magic "!<arch>\n", then members, each a
// 60-byte text header (name, dates, owner, mode, size in decimal) followed by
// the bytes, padded to an even length. Its members are "debian-binary" (the
// format version), control.tar.* (the package's metadata) and data.tar.* (the
// files to install, as a tar, compressed with xz, gzip or zstd). Reading it
// needs only that header and archive/tar; see deb(5) and ar(5).
//
// Deliberately left out: zstd and bzip2 compression (Debian's archive uses xz
// for these packages), package signatures (each .deb is pinned by its
// SHA-256 instead, as in the archive's Packages index), and installing
// anything: only the files a caller names are written, at paths the caller
// chooses.

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/ulikunitz/xz"
)

// DebianMirrorEnv overrides the root of Debian's archive, e.g. a nearby
// mirror or http://archive.debian.org/debian once bookworm has been moved
// there; tests point it at a local server.
const DebianMirrorEnv = "BAEUM_DEBIAN_MIRROR"

// defaultDebianMirror redirects to a nearby mirror. Plain HTTP is safe here
// because every package is checked against its pinned SHA-256.
const defaultDebianMirror = "http://deb.debian.org/debian"

// debPackage is one .deb in Debian's archive, pinned by SHA-256.
type debPackage struct {
	name, version string
	pool          string // path under the archive root
	sha256        string
}

// The packages the course reads, from Debian 12 (bookworm); the hashes are
// the SHA256 fields of bookworm's Packages index (apt-cache show).
var (
	debDebianFAQ = debPackage{name: "debian-faq", version: "11.1",
		pool:   "pool/main/d/debian-faq/debian-faq_11.1_all.deb",
		sha256: "427426e0cfa6888622fc1d72631071cb4b5a1f86ccde722e7820bcef284de5d0"}
	debDebianFAQKo = debPackage{name: "debian-faq-ko", version: "11.1",
		pool:   "pool/main/d/debian-faq/debian-faq-ko_11.1_all.deb",
		sha256: "1e010227c0e7497b836e195beedcda60f3e9b8856f19f211cbbdc5e91b4a5d7a"}
	debFashionMNIST = debPackage{name: "dataset-fashion-mnist", version: "0.0~git20200523.55506a9-1",
		pool:   "pool/main/d/dataset-fashion-mnist/dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb",
		sha256: "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0"}
)

// debMember names one file inside a package's data.tar.
type debMember struct {
	pkg    debPackage
	member string // tar path, e.g. "./usr/share/doc/debian/FAQ/index.en.html"
}

// debSources maps a data-file name, as in the catalog, to the package and
// member it comes from. The FAQ pages are the catalog's own list; the English
// pages sit in FAQ/, the Korean ones in FAQ/ko/.
var debSources = func() map[string]debMember {
	m := make(map[string]debMember)
	for rel := range debianFAQHashes {
		dir, base := path.Split(rel)
		switch dir {
		case "debian-faq/en/":
			m[rel] = debMember{debDebianFAQ, "./usr/share/doc/debian/FAQ/" + base}
		case "debian-faq/ko/":
			m[rel] = debMember{debDebianFAQKo, "./usr/share/doc/debian/FAQ/ko/" + base}
		}
	}
	for _, name := range []string{"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
		"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"} {
		m["fashion-mnist/"+name] = debMember{debFashionMNIST, "./usr/share/datasets/fashion-mnist/" + name}
	}
	return m
}()

// debSource returns the package and member that data file rel comes from.
func debSource(rel string) (pkg debPackage, member string, ok bool) {
	s, ok := debSources[rel]
	return s.pkg, s.member, ok
}

// fetchFromDebian fetches the package that holds rel into cacheDir/debian/
// (kept for reuse) and unpacks every data file that comes from that package
// into cacheDir/<its name>: the 17 pages of one language cost one download.
// The caller checks each file against the catalog.
func fetchFromDebian(rel, cacheDir string) error {
	pkg, _, ok := debSource(rel)
	if !ok {
		return fmt.Errorf("mlx: %s does not come from a Debian package that this loader knows", rel)
	}
	deb, err := fetchDeb(pkg, filepath.Join(cacheDir, "debian"))
	if err != nil {
		return err
	}
	want := make(map[string]string)
	for r, s := range debSources {
		if s.pkg == pkg {
			want[s.member] = filepath.Join(cacheDir, filepath.FromSlash(r))
		}
	}
	return unpackDeb(deb, want)
}

// debianMirror is the archive root, without a trailing slash.
func debianMirror() string {
	if m := os.Getenv(DebianMirrorEnv); m != "" {
		return strings.TrimRight(m, "/")
	}
	return defaultDebianMirror
}

// fetchDeb downloads pkg into dir, unless dir already holds it, and returns
// its path. The download goes through a temporary file and is checked
// against pkg.sha256 before it is renamed into place. A file already there
// with another SHA-256 is an error, as everywhere in this loader: it is
// reported, never silently replaced.
func fetchDeb(pkg debPackage, dir string) (string, error) {
	dst := filepath.Join(dir, path.Base(pkg.pool))
	if _, err := os.Stat(dst); err == nil {
		if err := verify(dst, pkg.sha256); err != nil {
			return "", err
		}
		return dst, nil
	}
	url := debianMirror() + "/" + pkg.pool
	if err := download(url, dst, pkg.sha256); err != nil {
		return "", fmt.Errorf("mlx: downloading Debian package %s %s: %w; check the connection to %s, "+
			"or set %s to another Debian mirror (e.g. http://archive.debian.org/debian once bookworm is archived), "+
			"or install the package with apt-get install %s",
			pkg.name, pkg.version, err, debianMirror(), DebianMirrorEnv, pkg.name)
	}
	return dst, nil
}

// unpackDeb copies the members of the .deb's data.tar named in want (tar
// path -> destination file) to their destinations. Paths from the archive
// never become paths on disk: only want's destinations are written. Each file
// goes to a temporary name first, and all are renamed into place only once
// every member has been found, so an error leaves none of them behind.
func unpackDeb(debPath string, want map[string]string) error {
	f, err := os.Open(debPath)
	if err != nil {
		return fmt.Errorf("mlx: %w", err)
	}
	defer f.Close()
	damaged := func(err error) error {
		return fmt.Errorf("mlx: Debian package %s: %w; the file is damaged or not a .deb: "+
			"delete it so that it is downloaded again", debPath, err)
	}
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("mlx: %w", err)
	}
	name, data, err := debDataTar(f, st.Size())
	if err != nil {
		return damaged(err)
	}
	var r io.Reader = bufio.NewReaderSize(data, 1<<16)
	switch ext := strings.TrimPrefix(name, "data.tar"); ext {
	case "": // dpkg allows an uncompressed data.tar
	case ".xz":
		if r, err = xz.NewReader(r); err != nil {
			return damaged(fmt.Errorf("%s: %w", name, err))
		}
	case ".gz":
		if r, err = gzip.NewReader(r); err != nil {
			return damaged(fmt.Errorf("%s: %w", name, err))
		}
	default:
		return fmt.Errorf("mlx: Debian package %s keeps its files in %s (%s compression), which this loader "+
			"cannot read (it reads xz and gzip); unpack it with dpkg-deb -x, or install the package with apt-get",
			debPath, name, compressionName(ext))
	}

	temps := make(map[string]string) // member -> temporary file
	defer func() {
		for _, tmp := range temps {
			os.Remove(tmp) // fails harmlessly after the rename
		}
	}()
	tr := tar.NewReader(r)
	for len(temps) < len(want) {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return damaged(fmt.Errorf("reading %s: %w", name, err))
		}
		dst, ok := want[hdr.Name]
		if _, done := temps[hdr.Name]; !ok || done {
			continue
		}
		if hdr.Typeflag != tar.TypeReg {
			return fmt.Errorf("mlx: %s in Debian package %s is not a regular file (tar type %q); "+
				"name the file it points to instead", hdr.Name, debPath, hdr.Typeflag)
		}
		tmp, err := copyToTemp(tr, dst)
		if err != nil {
			return damaged(fmt.Errorf("copying %s: %w", hdr.Name, err))
		}
		temps[hdr.Name] = tmp
	}
	var missing []string
	for m := range want {
		if _, ok := temps[m]; !ok {
			missing = append(missing, m)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("mlx: Debian package %s has no %s in its %s (nothing was written); "+
			"this version of the package does not hold that file: check the names in debSources",
			debPath, strings.Join(missing, ", "), name)
	}
	for m, tmp := range temps {
		if err := os.Rename(tmp, want[m]); err != nil {
			return fmt.Errorf("mlx: %w", err)
		}
	}
	return nil
}

// debDataTar finds the data.tar.* member of the ar archive f, of the given
// size, and returns its name and a reader over exactly its bytes.
func debDataTar(f io.ReaderAt, size int64) (string, *io.SectionReader, error) {
	magic := make([]byte, 8)
	if _, err := f.ReadAt(magic, 0); err != nil || string(magic) != "!<arch>\n" {
		return "", nil, fmt.Errorf("it does not start with the ar magic \"!<arch>\\n\"")
	}
	var hdr [60]byte
	for off, i := int64(8), 0; ; i++ {
		n, err := f.ReadAt(hdr[:], off)
		if n == 0 && err == io.EOF {
			return "", nil, fmt.Errorf("it has no data.tar member")
		}
		if n < len(hdr) {
			return "", nil, fmt.Errorf("it is truncated: it ends inside the header at byte %d", off)
		}
		// name[16] mtime[12] uid[6] gid[6] mode[8] size[10] "`\n"
		if string(hdr[58:60]) != "`\n" {
			return "", nil, fmt.Errorf("bad ar header at byte %d", off)
		}
		name := strings.TrimRight(strings.TrimSpace(string(hdr[0:16])), "/") // GNU ar ends names with "/"
		n64, err := strconv.ParseInt(strings.TrimSpace(string(hdr[48:58])), 10, 64)
		if err != nil || n64 < 0 {
			return "", nil, fmt.Errorf("bad size %q in the ar header of %s", hdr[48:58], name)
		}
		off += int64(len(hdr))
		if off+n64 > size {
			return "", nil, fmt.Errorf("it is truncated: member %s needs %d bytes but only %d are left",
				name, n64, size-off)
		}
		if i == 0 && name != "debian-binary" {
			return "", nil, fmt.Errorf("its first member is %q, not debian-binary", name)
		}
		if strings.HasPrefix(name, "data.tar") {
			return name, io.NewSectionReader(f, off, n64), nil
		}
		off += n64 + n64%2
	}
}

// copyToTemp copies r into a new temporary file next to dst and returns its
// name; the caller renames it to dst.
func copyToTemp(r io.Reader, dst string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(tmp, r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// compressionName names the compression behind a data.tar suffix.
func compressionName(ext string) string {
	switch ext {
	case ".zst":
		return "Zstandard"
	case ".bz2":
		return "bzip2"
	case ".lzma":
		return "LZMA"
	}
	return "unknown " + strings.TrimPrefix(ext, ".")
}
