package compress

import (
	"github.com/gomlx/gomlx/core/graph"
)

// DistillationLoss is Hinton et al.'s (2015) loss for a student learning
// from a teacher: with temperature T and weight alpha,
//
//	alpha · T² · KL(softmax(teacher/T) ‖ softmax(student/T)) + (1 − alpha) · CE(labels, student)
//
// averaged over the batch. A high T softens both distributions so that the
// student also learns which wrong classes the teacher finds plausible; the
// T² keeps the soft term's gradients the size of the hard term's. logits
// are [batch, classes], labels [batch] int32.
func DistillationLoss(student, teacher, labels *graph.Node, temperature, alpha float64) *graph.Node {
	logSoft := func(logits *graph.Node, t float64) *graph.Node {
		return graph.LogSoftmax(graph.DivScalar(logits, t), -1)
	}
	pt := graph.Exp(logSoft(teacher, temperature))
	kl := graph.ReduceSum(graph.Mul(pt, graph.Sub(logSoft(teacher, temperature), logSoft(student, temperature))), -1) // [batch]
	classes := student.Shape().Dim(-1)
	oneHot := graph.OneHot(labels, classes, student.DType())
	ce := graph.Neg(graph.ReduceSum(graph.Mul(oneHot, logSoft(student, 1)), -1)) // [batch]
	loss := graph.Add(graph.MulScalar(kl, alpha*temperature*temperature), graph.MulScalar(ce, 1-alpha))
	return graph.ReduceAllMean(loss)
}
