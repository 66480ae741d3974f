package mlx

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"
)

// IDX is an array read from an IDX file, the format of MNIST and
// Fashion-MNIST: a magic number (two zero bytes, a type code, the number of
// dimensions), the dimensions as big-endian uint32, then the data.
// Only unsigned bytes (type 0x08), the type those data sets use, are read.
type IDX struct {
	Dims []int
	Data []uint8
}

// ReadIDX reads an IDX file, gzipped (".gz") or not. A short or malformed
// file is an error naming the file and what is wrong with it.
func ReadIDX(path string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mlx: %w", err)
	}
	defer f.Close()
	var r io.Reader = bufio.NewReader(f)
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("mlx: %s is not a valid gzip file (%v); delete it and fetch it again", path, err)
		}
		defer gz.Close()
		r = gz
	}
	idx, err := decodeIDX(r)
	if err != nil {
		return nil, fmt.Errorf("mlx: %s: %w; delete it and fetch it again", path, err)
	}
	return idx, nil
}

func decodeIDX(r io.Reader) (*IDX, error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, fmt.Errorf("truncated IDX header (%v)", err)
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, fmt.Errorf("not an IDX file (magic % x)", magic)
	}
	if magic[2] != 0x08 {
		return nil, fmt.Errorf("IDX element type 0x%02x not supported (only unsigned bytes, 0x08)", magic[2])
	}
	nd := int(magic[3])
	if nd == 0 || nd > 4 {
		return nil, fmt.Errorf("IDX file with %d dimensions not supported", nd)
	}
	dims := make([]int, nd)
	size := 1
	for i := range dims {
		var d uint32
		if err := binary.Read(r, binary.BigEndian, &d); err != nil {
			return nil, fmt.Errorf("truncated IDX header (%v)", err)
		}
		if d == 0 || d > 1<<24 {
			return nil, fmt.Errorf("IDX dimension %d is %d", i, d)
		}
		dims[i] = int(d)
		size *= int(d)
	}
	if size > 1<<31 {
		return nil, fmt.Errorf("IDX data of %d bytes is too large", size)
	}
	data := make([]uint8, size)
	if n, err := io.ReadFull(r, data); err != nil {
		return nil, fmt.Errorf("IDX file truncated: %d of %d data bytes (%v)", n, size, err)
	}
	return &IDX{Dims: dims, Data: data}, nil
}

// Images is a set of grey images with their labels, as read from MNIST or
// Fashion-MNIST.
type Images struct {
	Name          string  // "mnist" or "fashion-mnist"
	N, H, W       int     // count, height, width
	Pixels        []uint8 // N*H*W, row-major, 0 (white background) .. 255
	Labels        []uint8 // N, in 0..9
	ClassNames    []string
	Split         string // "train" or "test"
	PixelsPerItem int
}

// Image returns the pixels of image i.
func (im *Images) Image(i int) []uint8 {
	return im.Pixels[i*im.PixelsPerItem : (i+1)*im.PixelsPerItem]
}

// ClassNames of the two image data sets.
var (
	MNISTClasses   = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	FashionClasses = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
		"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}
)

// LoadImages reads MNIST ("mnist") or Fashion-MNIST ("fashion-mnist"), split
// "train" (60,000 images) or "test" (10,000), through the data loader.
func LoadImages(name, split string) (*Images, error) {
	classes := MNISTClasses
	switch name {
	case "mnist":
	case "fashion-mnist":
		classes = FashionClasses
	default:
		return nil, fmt.Errorf("mlx: unknown image data set %q: use \"mnist\" or \"fashion-mnist\"", name)
	}
	prefix := map[string]string{"train": "train", "test": "t10k"}[split]
	if prefix == "" {
		return nil, fmt.Errorf("mlx: unknown split %q: use \"train\" or \"test\"", split)
	}
	read := func(kind string) (*IDX, error) {
		p, err := DataPath(fmt.Sprintf("%s/%s-%s-idx%d-ubyte.gz", name, prefix, kind, map[string]int{"images": 3, "labels": 1}[kind]))
		if err != nil {
			return nil, err
		}
		return ReadIDX(p)
	}
	imgs, err := read("images")
	if err != nil {
		return nil, err
	}
	labels, err := read("labels")
	if err != nil {
		return nil, err
	}
	if len(imgs.Dims) != 3 || len(labels.Dims) != 1 || imgs.Dims[0] != labels.Dims[0] {
		return nil, fmt.Errorf("mlx: %s %s: images %v and labels %v do not match", name, split, imgs.Dims, labels.Dims)
	}
	return &Images{Name: name, Split: split, N: imgs.Dims[0], H: imgs.Dims[1], W: imgs.Dims[2],
		Pixels: imgs.Data, Labels: labels.Data, ClassNames: classes, PixelsPerItem: imgs.Dims[1] * imgs.Dims[2]}, nil
}
