;; model/gradient.wat: the softmax fit's inner loop (model/gradient.ts, addGradient) compiled to
;; WebAssembly with 128-bit SIMD, two rows' numbers per instruction. It adds the same products in
;; the same order as the JavaScript loop (IEEE double arithmetic, no fused multiply-add), and takes
;; e^x from JavaScript's Math.exp, so its gradients equal that loop's to the last bit
;; (test/model/gradient.test.ts) and the model file does not depend on which ran. The build
;; (scripts/build-wasm.js) turns this text into dist/model/gradient.wasm.
;;
;; Every address is a byte offset into the fit's shared memory (GradientArena, model/gradient.ts):
;; the rows `xs` in blocks of four rows, input by input (slotOf), the labels, the weights
;; (weights[class][input], then biases), the gradient to add to, and 4 * classCount numbers of
;; scratch for the four rows' logits, which this thread alone writes.
(module
  (import "env" "memory" (memory 1 65536 shared))
  (import "env" "exp" (func $exp (param f64) (result f64)))
  ;; Turns row r's logits at $out (k numbers) into the gradient of its share of the mean loss:
  ;; softmax minus the truth, divided by n. A padding row (r >= count) has none.
  (func $logitGradient (param $out i32) (param $k i32) (param $r i32) (param $count i32) (param $labels i32) (param $n f64)
    (local $c i32) (local $max f64) (local $total f64) (local $e f64) (local $p i32) (local $truth i32)
    (if (i32.ge_s (local.get $r) (local.get $count))
      (then
        (local.set $c (i32.const 0))
        (block $done (loop $z
          (br_if $done (i32.ge_s (local.get $c) (local.get $k)))
          (f64.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 3))) (f64.const 0))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $z)))
        (return)))
    (local.set $max (f64.const -inf))
    (local.set $c (i32.const 0))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_s (local.get $c) (local.get $k)))
      (local.set $max (f64.max (local.get $max) (f64.load (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 3))))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $l1)))
    (local.set $total (f64.const 0))
    (local.set $c (i32.const 0))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_s (local.get $c) (local.get $k)))
      (local.set $p (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 3))))
      (local.set $e (call $exp (f64.sub (f64.load (local.get $p)) (local.get $max))))
      (f64.store (local.get $p) (local.get $e))
      (local.set $total (f64.add (local.get $total) (local.get $e)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $l2)))
    (local.set $truth (i32.load (i32.add (local.get $labels) (i32.shl (local.get $r) (i32.const 2)))))
    (local.set $c (i32.const 0))
    (block $d3 (loop $l3
      (br_if $d3 (i32.ge_s (local.get $c) (local.get $k)))
      (local.set $p (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 3))))
      (f64.store (local.get $p)
        (f64.div
          (f64.sub (f64.div (f64.load (local.get $p)) (local.get $total))
                   (select (f64.const 1) (f64.const 0) (i32.eq (local.get $c) (local.get $truth))))
          (local.get $n)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $l3)))
  )
  ;; Adds the gradient of rows [from, to) (multiples of 4) to $grad. Row l of a block of four keeps its
  ;; logits at $g + l * k * 8.
  (func (export "addGradient")
    (param $xs i32) (param $labels i32) (param $count i32) (param $dims i32) (param $k i32)
    (param $params i32) (param $grad i32) (param $from i32) (param $to i32) (param $g i32)
    (local $n f64) (local $r i32) (local $block i32) (local $c i32) (local $at i32) (local $i i32) (local $o i32)
    (local $s01 v128) (local $s23 v128) (local $w v128) (local $bias f64) (local $biasAt i32)
    (local $e0 v128) (local $e1 v128) (local $e2 v128) (local $e3 v128) (local $ge f64)
    (local $a v128) (local $b v128) (local $cc v128) (local $d v128) (local $gv v128) (local $gp i32) (local $pairs i32) (local $kb i32)
    (local.set $n (f64.convert_i32_s (select (local.get $count) (i32.const 1) (i32.gt_s (local.get $count) (i32.const 1)))))
    (local.set $biasAt (i32.mul (local.get $k) (local.get $dims)))
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    ;; inputs handled two at a time in the backward pass
    (local.set $pairs (i32.and (local.get $dims) (i32.const -2)))
    (local.set $r (local.get $from))
    (block $rdone (loop $rows
      (br_if $rdone (i32.ge_s (local.get $r) (local.get $to)))
      ;; byte offset of the block of rows: r * dims * 8
      (local.set $block (i32.add (local.get $xs) (i32.shl (i32.mul (local.get $r) (local.get $dims)) (i32.const 3))))
      ;; forward: rows 0-1 and 2-3 of the block side by side, each sum in input order
      (local.set $c (i32.const 0))
      (block $fdone (loop $fc
        (br_if $fdone (i32.ge_s (local.get $c) (local.get $k)))
        (local.set $at (i32.add (local.get $params) (i32.shl (i32.mul (local.get $c) (local.get $dims)) (i32.const 3))))
        (local.set $bias (f64.load (i32.add (local.get $params) (i32.shl (i32.add (local.get $biasAt) (local.get $c)) (i32.const 3)))))
        (local.set $s01 (f64x2.splat (local.get $bias)))
        (local.set $s23 (f64x2.splat (local.get $bias)))
        (local.set $i (i32.const 0))
        (local.set $o (local.get $block))
        (block $idone (loop $fi
          (br_if $idone (i32.ge_s (local.get $i) (local.get $dims)))
          (local.set $w (f64x2.splat (f64.load (i32.add (local.get $at) (i32.shl (local.get $i) (i32.const 3))))))
          (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $w) (v128.load (local.get $o)))))
          (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $w) (v128.load offset=16 (local.get $o)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $o (i32.add (local.get $o) (i32.const 32)))
          (br $fi)))
        (local.set $gp (i32.add (local.get $g) (i32.shl (local.get $c) (i32.const 3))))
        (f64.store (local.get $gp) (f64x2.extract_lane 0 (local.get $s01)))
        (f64.store (i32.add (local.get $gp) (local.get $kb)) (f64x2.extract_lane 1 (local.get $s01)))
        (f64.store (i32.add (local.get $gp) (i32.mul (local.get $kb) (i32.const 2))) (f64x2.extract_lane 0 (local.get $s23)))
        (f64.store (i32.add (local.get $gp) (i32.mul (local.get $kb) (i32.const 3))) (f64x2.extract_lane 1 (local.get $s23)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $fc)))
      (call $logitGradient (local.get $g) (local.get $k) (local.get $r) (local.get $count) (local.get $labels) (local.get $n))
      (call $logitGradient (i32.add (local.get $g) (local.get $kb)) (local.get $k) (i32.add (local.get $r) (i32.const 1)) (local.get $count) (local.get $labels) (local.get $n))
      (call $logitGradient (i32.add (local.get $g) (i32.mul (local.get $kb) (i32.const 2))) (local.get $k) (i32.add (local.get $r) (i32.const 2)) (local.get $count) (local.get $labels) (local.get $n))
      (call $logitGradient (i32.add (local.get $g) (i32.mul (local.get $kb) (i32.const 3))) (local.get $k) (i32.add (local.get $r) (i32.const 3)) (local.get $count) (local.get $labels) (local.get $n))
      ;; backward: grad[c][i] + e0 x0 + e1 x1 + e2 x2 + e3 x3, left to right as in JavaScript, for
      ;; inputs i and i + 1 side by side
      (local.set $c (i32.const 0))
      (block $bdone (loop $bc
        (br_if $bdone (i32.ge_s (local.get $c) (local.get $k)))
        (local.set $gp (i32.add (local.get $g) (i32.shl (local.get $c) (i32.const 3))))
        (local.set $e0 (f64x2.splat (f64.load (local.get $gp))))
        (local.set $e1 (f64x2.splat (f64.load (i32.add (local.get $gp) (local.get $kb)))))
        (local.set $e2 (f64x2.splat (f64.load (i32.add (local.get $gp) (i32.mul (local.get $kb) (i32.const 2))))))
        (local.set $e3 (f64x2.splat (f64.load (i32.add (local.get $gp) (i32.mul (local.get $kb) (i32.const 3))))))
        (local.set $at (i32.add (local.get $grad) (i32.shl (i32.mul (local.get $c) (local.get $dims)) (i32.const 3))))
        (local.set $i (i32.const 0))
        (local.set $o (local.get $block))
        (block $pdone (loop $bi
          (br_if $pdone (i32.ge_s (local.get $i) (local.get $pairs)))
          ;; inputs i and i+1: row l's values at o + 8l and o + 32 + 8l
          (local.set $a (v128.load (local.get $o)))
          (local.set $b (v128.load offset=32 (local.get $o)))
          (local.set $cc (v128.load offset=16 (local.get $o)))
          (local.set $d (v128.load offset=48 (local.get $o)))
          (local.set $gp (i32.add (local.get $at) (i32.shl (local.get $i) (i32.const 3))))
          (local.set $gv (v128.load (local.get $gp)))
          (local.set $gv (f64x2.add (local.get $gv) (f64x2.mul (local.get $e0)
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $b)))))
          (local.set $gv (f64x2.add (local.get $gv) (f64x2.mul (local.get $e1)
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $b)))))
          (local.set $gv (f64x2.add (local.get $gv) (f64x2.mul (local.get $e2)
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $cc) (local.get $d)))))
          (local.set $gv (f64x2.add (local.get $gv) (f64x2.mul (local.get $e3)
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $cc) (local.get $d)))))
          (v128.store (local.get $gp) (local.get $gv))
          (local.set $i (i32.add (local.get $i) (i32.const 2)))
          (local.set $o (i32.add (local.get $o) (i32.const 64)))
          (br $bi)))
        ;; an odd last input, one lane
        (if (i32.lt_s (local.get $i) (local.get $dims))
          (then
            (local.set $gp (i32.add (local.get $at) (i32.shl (local.get $i) (i32.const 3))))
            (f64.store (local.get $gp)
              (f64.add (f64.add (f64.add (f64.add (f64.load (local.get $gp))
                (f64.mul (f64x2.extract_lane 0 (local.get $e0)) (f64.load (local.get $o))))
                (f64.mul (f64x2.extract_lane 0 (local.get $e1)) (f64.load offset=8 (local.get $o))))
                (f64.mul (f64x2.extract_lane 0 (local.get $e2)) (f64.load offset=16 (local.get $o))))
                (f64.mul (f64x2.extract_lane 0 (local.get $e3)) (f64.load offset=24 (local.get $o)))))))
        (local.set $gp (i32.add (local.get $grad) (i32.shl (i32.add (local.get $biasAt) (local.get $c)) (i32.const 3))))
        (f64.store (local.get $gp)
          (f64.add (f64.add (f64.add (f64.add (f64.load (local.get $gp)) (f64x2.extract_lane 0 (local.get $e0)))
            (f64x2.extract_lane 0 (local.get $e1))) (f64x2.extract_lane 0 (local.get $e2))) (f64x2.extract_lane 0 (local.get $e3))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $bc)))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br $rows)))
  )
)
