package transfer

// Real pretrained weights (VGG16's, say) cannot be downloaded here, but a
// learner who has a file of them can load it. Keras keeps weights in HDF5,
// which Go reads poorly; NumPy's .npz (a zip of .npy arrays) is one line of
// Python away and simple to read:
//
//	import numpy as np, tensorflow as tf
//	vgg = tf.keras.applications.VGG16(include_top=False, weights="imagenet")
//	np.savez("vgg16.npz", **{w.name: w.numpy() for w in vgg.weights})
//
// Keras stores a convolution kernel as [height, width, in, out] and a dense
// kernel as [in, out], the layouts GoMLX's layers.Convolution (channels
// last) and layers.Dense use, so the arrays go into variables unchanged;
// only the names are mapped ("block1_conv1/kernel:0" ->
// "/base/block1_conv1/conv/weights"). This file reads and writes the .npz
// subset needed: little-endian float32 arrays in C order.

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// SaveNPZ writes the variables into a .npz file, one float32 array per
// variable, named by the variable's path. The file is built in memory and
// written to a temporary name, then renamed: never left half written.
func SaveNPZ(path string, vars []*model.Variable) error {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, v := range vars {
		t, err := v.Value()
		if err != nil {
			return fmt.Errorf("transfer.SaveNPZ: %w", err)
		}
		w, err := zw.Create(v.Path() + ".npy")
		if err != nil {
			return fmt.Errorf("transfer.SaveNPZ: %w", err)
		}
		if err := writeNPY(w, tensors.MustCopyFlatData[float32](t), t.Shape().Dimensions); err != nil {
			return fmt.Errorf("transfer.SaveNPZ: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("transfer.SaveNPZ: %w", err)
	}
	if err := mlx.WriteFileAtomic(path, buf.Bytes()); err != nil {
		return fmt.Errorf("transfer.SaveNPZ: %w", err)
	}
	return nil
}

// LoadNPZ reads the arrays of a .npz file into store: array a becomes the
// variable names[a] (created, or overwritten if it exists with the same
// shape). Arrays not in names are skipped; a name in names missing from the
// file is an error. It returns how many values were loaded.
func LoadNPZ(store *model.Store, path string, names map[string]string) (int, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, fmt.Errorf("transfer.LoadNPZ: %s is not a .npz file: %w", path, err)
	}
	defer zr.Close()
	loaded, values := map[string]bool{}, 0
	for _, zf := range zr.File {
		array := strings.TrimSuffix(zf.Name, ".npy")
		varPath, ok := names[array]
		if !ok {
			continue
		}
		r, err := zf.Open()
		if err != nil {
			return 0, err
		}
		data, dims, err := readNPY(r)
		r.Close()
		if err != nil {
			return 0, fmt.Errorf("transfer.LoadNPZ: %s in %s: %w", zf.Name, path, err)
		}
		t := tensors.FromFlatDataAndDimensions(data, dims...)
		if v := store.GetVariable(varPath); v != nil {
			if !v.Shape().Equal(t.Shape()) {
				return 0, fmt.Errorf("transfer.LoadNPZ: %s has shape %v, variable %s has %s", array, dims, varPath, v.Shape())
			}
			err = v.SetValue(t)
		} else {
			_, err = store.CreateVariable(varPath, t)
		}
		if err != nil {
			return 0, err
		}
		loaded[array], values = true, values+len(data)
	}
	for array := range names {
		if !loaded[array] {
			return 0, fmt.Errorf("transfer.LoadNPZ: %s has no array %q", path, array)
		}
	}
	return values, nil
}

var npyMagic = []byte("\x93NUMPY")

// writeNPY writes a .npy version 1.0 file: magic, version, header length,
// a Python-dict header padded with spaces to a multiple of 64 bytes, data.
func writeNPY(w io.Writer, data []float32, dims []int) error {
	shape := make([]string, len(dims))
	for i, d := range dims {
		shape[i] = strconv.Itoa(d)
	}
	tuple := strings.Join(shape, ", ")
	if len(dims) == 1 {
		tuple += ","
	}
	header := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }", tuple)
	pad := 64 - (len(npyMagic)+4+len(header)+1)%64
	header += strings.Repeat(" ", pad%64) + "\n"
	var b bytes.Buffer
	b.Write(npyMagic)
	b.Write([]byte{1, 0})
	_ = binary.Write(&b, binary.LittleEndian, uint16(len(header)))
	b.WriteString(header)
	_ = binary.Write(&b, binary.LittleEndian, data)
	_, err := w.Write(b.Bytes())
	return err
}

var (
	descrRE = regexp.MustCompile(`'descr':\s*'([^']*)'`)
	orderRE = regexp.MustCompile(`'fortran_order':\s*(True|False)`)
	shapeRE = regexp.MustCompile(`'shape':\s*\(([^)]*)\)`)
)

// readNPY reads a .npy file (versions 1, 2 and 3) of little-endian float32
// (or float64, converted) values in C order.
func readNPY(r io.Reader) ([]float32, []int, error) {
	pre := make([]byte, 8)
	if _, err := io.ReadFull(r, pre); err != nil || !bytes.Equal(pre[:6], npyMagic) {
		return nil, nil, fmt.Errorf("not a .npy array")
	}
	var hlen int
	if pre[6] == 1 {
		var n uint16
		if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
			return nil, nil, err
		}
		hlen = int(n)
	} else {
		var n uint32
		if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
			return nil, nil, err
		}
		hlen = int(n)
	}
	header := make([]byte, hlen)
	if _, err := io.ReadFull(r, header); err != nil {
		return nil, nil, fmt.Errorf("truncated header")
	}
	descr, order, shape := descrRE.FindSubmatch(header), orderRE.FindSubmatch(header), shapeRE.FindSubmatch(header)
	if descr == nil || order == nil || shape == nil {
		return nil, nil, fmt.Errorf("unreadable header %q", header)
	}
	if string(order[1]) == "True" {
		return nil, nil, fmt.Errorf("Fortran-order arrays are not supported (save with np.ascontiguousarray)")
	}
	var dims []int
	size := 1
	for _, s := range strings.Split(string(shape[1]), ",") {
		if s = strings.TrimSpace(s); s != "" {
			d, err := strconv.Atoi(s)
			if err != nil {
				return nil, nil, fmt.Errorf("bad shape %q", shape[1])
			}
			dims, size = append(dims, d), size*d
		}
	}
	switch string(descr[1]) {
	case "<f4":
		data := make([]float32, size)
		return data, dims, binary.Read(r, binary.LittleEndian, data)
	case "<f8":
		wide := make([]float64, size)
		if err := binary.Read(r, binary.LittleEndian, wide); err != nil {
			return nil, nil, err
		}
		data := make([]float32, size)
		for i, v := range wide {
			data[i] = float32(v)
			if math.IsInf(float64(data[i]), 0) != math.IsInf(v, 0) {
				return nil, nil, fmt.Errorf("value %g does not fit float32", v)
			}
		}
		return data, dims, nil
	default:
		return nil, nil, fmt.Errorf("dtype %s not supported (only <f4 and <f8)", descr[1])
	}
}
