package compress

import (
	"fmt"
	"math"
	"slices"
)

// SVD is a singular value decomposition W = U·diag(S)·Vᵀ of a rows × cols
// matrix, singular values in decreasing order.
type SVD struct {
	Rows, Cols int
	U          [][]float64 // rows × k, columns orthonormal (k = min(rows, cols))
	S          []float64   // k, decreasing
	V          [][]float64 // cols × k, columns orthonormal
}

// Decompose computes the SVD of w (row-major, rows × cols) by one-sided
// Jacobi rotations (Hestenes 1958): rotate pairs of columns until all are
// orthogonal; their lengths are then the singular values. Plain Go, enough
// for the lesson's layers (a few hundred columns).
func Decompose(w []float32, rows, cols int) (*SVD, error) {
	if rows <= 0 || cols <= 0 || len(w) != rows*cols {
		return nil, fmt.Errorf("compress.Decompose: %d values are not %d × %d", len(w), rows, cols)
	}
	transposed := rows < cols // work on the tall orientation
	m, n := rows, cols
	if transposed {
		m, n = cols, rows
	}
	a := make([][]float64, n) // columns of the m × n matrix
	v := make([][]float64, n) // accumulated rotations, n × n
	for j := range n {
		a[j] = make([]float64, m)
		v[j] = make([]float64, n)
		v[j][j] = 1
		for i := range m {
			if transposed {
				a[j][i] = float64(w[j*cols+i])
			} else {
				a[j][i] = float64(w[i*cols+j])
			}
		}
	}
	for sweep := 0; sweep < 60; sweep++ {
		off := 0.0
		for p := 0; p < n-1; p++ {
			for q := p + 1; q < n; q++ {
				alpha, beta, gamma := dot(a[p], a[p]), dot(a[q], a[q]), dot(a[p], a[q])
				if gamma == 0 {
					continue
				}
				off = math.Max(off, math.Abs(gamma)/math.Sqrt(alpha*beta))
				zeta := (beta - alpha) / (2 * gamma)
				t := math.Copysign(1, zeta) / (math.Abs(zeta) + math.Sqrt(1+zeta*zeta))
				c := 1 / math.Sqrt(1+t*t)
				s := c * t
				rotate(a[p], a[q], c, s)
				rotate(v[p], v[q], c, s)
			}
		}
		if off < 1e-12 {
			break
		}
	}
	order := make([]int, n)
	norms := make([]float64, n)
	for j := range n {
		order[j], norms[j] = j, math.Sqrt(dot(a[j], a[j]))
	}
	slices.SortStableFunc(order, func(x, y int) int {
		switch {
		case norms[x] > norms[y]:
			return -1
		case norms[x] < norms[y]:
			return 1
		}
		return 0
	})
	d := &SVD{Rows: rows, Cols: cols}
	left := make([][]float64, m) // m × n
	right := make([][]float64, n)
	for i := range left {
		left[i] = make([]float64, n)
	}
	for i := range right {
		right[i] = make([]float64, n)
	}
	for k, j := range order {
		d.S = append(d.S, norms[j])
		for i := range m {
			if norms[j] > 0 {
				left[i][k] = a[j][i] / norms[j]
			}
		}
		for i := range n {
			right[i][k] = v[j][i]
		}
	}
	if transposed { // W = (Wᵀ)ᵀ = V·S·Uᵀ
		d.U, d.V = right, left
	} else {
		d.U, d.V = left, right
	}
	return d, nil
}

// Rank is the largest rank whose two factors (rows·r + r·cols numbers)
// hold at most fraction of the matrix's rows·cols.
func (d *SVD) Rank(fraction float64) int {
	return max(1, int(fraction*float64(d.Rows*d.Cols)/float64(d.Rows+d.Cols)))
}

// Factors are the rank-r factors of the best rank-r approximation
// (Eckart–Young): A = U_r·diag(S_r) [rows, r] and B = V_rᵀ [r, cols],
// row-major float32, so that W ≈ A·B.
func (d *SVD) Factors(r int) (a, b []float32) {
	r = min(r, len(d.S))
	a = make([]float32, d.Rows*r)
	b = make([]float32, r*d.Cols)
	for i := range d.Rows {
		for k := range r {
			a[i*r+k] = float32(d.U[i][k] * d.S[k])
		}
	}
	for k := range r {
		for j := range d.Cols {
			b[k*d.Cols+j] = float32(d.V[j][k])
		}
	}
	return a, b
}

func dot(x, y []float64) float64 {
	s := 0.0
	for i := range x {
		s += x[i] * y[i]
	}
	return s
}

// rotate applies the plane rotation [c −s; s c] to the pair (x, y).
func rotate(x, y []float64, c, s float64) {
	for i := range x {
		xi, yi := x[i], y[i]
		x[i], y[i] = c*xi-s*yi, s*xi+c*yi
	}
}
