/*
 * checklist.c: the rule catalog (a static table of rules), the match table
 * that maps the facts of a -m=2 chain to rules (most specific match wins),
 * the one-sentence `why` built from the chain, and the docs generator.
 */
#include "checklist.h"
#include "gosrc.h"
#include "strbuf.h"
#include "util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* The catalog                                                          */
/* ------------------------------------------------------------------ */

/* applies to every supported compiler */
#define GO_ANY 0, 0, NULL

static const struct rule rules[] = {
	{ "ER000", "Heap allocation or leaking parameter", SEVERITY_WARNING,
	  "The compiler decided that this value must live on the heap (or that a parameter "
	  "leaks), for a reason no more specific rule of this checklist recognises. The -m=2 "
	  "chain in the finding shows each step of the flow that made it escape.",
	  "Follow the chain from the last step back: the step that stores the value somewhere "
	  "that outlives the function (a global, the heap, a result, a closure) is the one to change.",
	  "func f(p **int) {\n\tx := 1\n\ty := &x\n\t*p = y\n}",
	  "func f(p *int) {\n\t*p = 1\n}",
	  "er000", GO_ANY },
	{ "ER001", "Argument boxed for fmt, log or errors", SEVERITY_WARNING,
	  "fmt, log and errors.Errorf take their arguments as ...any: every non-pointer argument "
	  "is converted to an interface, and because the callee keeps the ... slice (the compiler "
	  "cannot prove otherwise) the boxed copy is allocated on the heap, on every call, even "
	  "when the log level drops the message.",
	  "Format with strconv.Append*/strconv.Itoa into a reused buffer, use a logger with typed "
	  "fields, or check the log level before building the arguments; on a hot path log less.",
	  "func report(avg float64) {\n\tlog.Printf(\"avg: %.2f\", avg)\n}",
	  "func report(buf []byte, avg float64) []byte {\n"
	  "\treturn strconv.AppendFloat(append(buf, \"avg: \"...), avg, 'f', 2, 64)\n}",
	  "er001", GO_ANY },
	{ "ER002", "Value stored in an interface variable or field", SEVERITY_WARNING,
	  "Assigning a non-pointer value to an interface-typed variable, field or map element "
	  "that lives on the heap copies the value into a new heap object (boxing); the interface "
	  "then points at the copy.",
	  "Store a concrete type (a typed field, a generic container) instead of an interface, "
	  "or store a pointer to data that already lives on the heap.",
	  "var last interface{}\n\nfunc record(n int) {\n\tlast = n\n}",
	  "var last int\n\nfunc record(n int) {\n\tlast = n\n}",
	  "er002", GO_ANY },
	{ "ER003", "Value returned as an interface", SEVERITY_WARNING,
	  "Returning a non-pointer value (an error struct, a Stringer) from a function whose "
	  "result type is an interface boxes it: the value is copied to the heap so the "
	  "interface can point at it.",
	  "Return the concrete type, return a pointer to a value that is allocated once "
	  "(a package-level sentinel error), or make the type pointer-shaped.",
	  "type parseError struct{ line int }\n\nfunc (e parseError) Error() string { return \"bad\" }\n\n"
	  "func check(line int) error {\n\treturn parseError{line}\n}",
	  "var errBad = errors.New(\"bad\")\n\nfunc check(line int) error {\n\treturn errBad\n}",
	  "er003", GO_ANY },
	{ "ER004", "Value boxed for panic", SEVERITY_INFO,
	  "panic takes an interface: a non-pointer argument is boxed and allocated on the heap. "
	  "This is only paid when the panic happens, so it rarely matters.",
	  "Usually nothing; panic with a pre-built error value if the path is hot.",
	  "func mustPositive(n int) {\n\tif n < 0 {\n\t\tpanic(n)\n\t}\n}",
	  "var errNegative = errors.New(\"negative\")\n\nfunc mustPositive(n int) {\n"
	  "\tif n < 0 {\n\t\tpanic(errNegative)\n\t}\n}",
	  "er004", GO_ANY },
	{ "ER005", "Constant, zero value or empty slice literal (nothing allocated)", SEVERITY_INFO,
	  "The compiler reports that a constant, a zero value or an empty slice literal escapes "
	  "to the heap, but nothing is allocated: converting a constant to an interface points "
	  "the interface at read-only static data, a zero-size value at the shared zero-size "
	  "base, and an empty slice literal (`[]T{}`) has no backing array. Go 1.25 and newer "
	  "also box a zero-valued struct or array literal of up to 1 KiB (`T{}`) from read-only "
	  "data; Go 1.24 and older allocate it unless it has zero size. They box a struct or "
	  "array literal of constants (`T{1, \"a\"}`, the type declared in the package or an "
	  "array type) from read-only data too, where Go 1.24 and older allocate it (there "
	  "the finding is the allocation's rule; the review knows the compiler it runs, and "
	  "an `--input` log's explanations tell it, or `--go-version`); a name in it (a variable, or a named "
	  "constant, which the source alone cannot tell) or a nested literal keeps it an "
	  "allocation. Likewise for a make of zero-size "
	  "elements (Go 1.25 and newer say `zero-sized element`). A literal of a map type "
	  "always allocates, `M{}` too: the package's type declarations tell it from a struct. "
	  "The diagnostic is real, the cost is not.",
	  "Nothing to fix; the finding is informational.",
	  "func hello() {\n\tfmt.Println(\"hello\", 42)\n}",
	  "func hello() {\n\tfmt.Println(\"hello\", 42) // no allocation for constants\n}",
	  "er005", GO_ANY },
	{ "ER006", "Non-pointer value put into a sync.Pool", SEVERITY_WARNING,
	  "sync.Pool.Put takes an interface: putting a slice or a struct value boxes it, so every "
	  "Put allocates a slice header (24 bytes) or a copy, which defeats the pool.",
	  "Pool pointers: store *[]byte (or *bytes.Buffer) and Put the pointer.",
	  "var pool sync.Pool\n\nfunc release(b []byte) {\n\tpool.Put(b[:0])\n}",
	  "var pool sync.Pool\n\nfunc release(b *[]byte) {\n\t*b = (*b)[:0]\n\tpool.Put(b)\n}",
	  "er006", GO_ANY },
	{ "ER007", "Argument to reflect, sort.Slice or another any-typed API", SEVERITY_WARNING,
	  "reflect.ValueOf, sort.Slice, encoding/json and other APIs that take `any` box their "
	  "argument; the boxed copy escapes because the callee keeps it or cannot be analysed.",
	  "Use the typed alternative: sort.Ints/slices.Sort or a sort.Interface on a named "
	  "type, generated or hand-written encoders, generics instead of reflect.",
	  "func sortScores(xs []int) {\n\tsort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })\n}",
	  "func sortScores(xs []int) {\n\tsort.Ints(xs)\n}",
	  "er007", GO_ANY },
	{ "ER008", "Value stored with context.WithValue", SEVERITY_WARNING,
	  "context.WithValue takes its key and value as interfaces and stores them in a new "
	  "heap-allocated context: a non-pointer value (a string, an int, a struct) is boxed.",
	  "Use a key of a zero-size type (struct{}), store one pointer to a request-scoped "
	  "struct instead of many values, or pass the value as a parameter.",
	  "type userKey struct{}\n\nfunc withUser(ctx context.Context, name string) context.Context {\n"
	  "\treturn context.WithValue(ctx, userKey{}, name)\n}",
	  "type userKey struct{}\ntype request struct{ user string }\n\n"
	  "func withRequest(ctx context.Context, r *request) context.Context {\n"
	  "\treturn context.WithValue(ctx, userKey{}, r)\n}",
	  "er008", GO_ANY },
	{ "ER009", "Variadic ...any argument that escapes", SEVERITY_WARNING,
	  "The implicit []any slice of a variadic call escapes, so each element is boxed on "
	  "the heap and the slice itself is allocated: typical for an interface method such as "
	  "Logger.Logf, whose implementation the compiler cannot see.",
	  "Call a concrete type's method, pass typed arguments, or check whether the call is "
	  "needed (log level) before making it.",
	  "type logger interface{ Logf(string, ...interface{}) }\n\n"
	  "func work(l logger, n int) {\n\tl.Logf(\"n=%d\", n)\n}",
	  "type logger interface{ LogInt(string, int) }\n\nfunc work(l logger, n int) {\n"
	  "\tl.LogInt(\"n\", n)\n}",
	  "er009", GO_ANY },
	{ "ER010", "Address of a local variable returned", SEVERITY_WARNING,
	  "Returning &x makes x outlive the call, so x is moved to the heap when it is "
	  "declared: one allocation per call.",
	  "Return the value itself, or let the caller pass in the memory to fill.",
	  "func newCounter() *int {\n\tn := 0\n\treturn &n\n}",
	  "func newCounter() int {\n\treturn 0\n}",
	  "er010", GO_ANY },
	{ "ER011", "Composite literal or new(T) allocated on the heap", SEVERITY_WARNING,
	  "A &T{...} or new(T) value escapes (returned, stored, passed to a callee that keeps "
	  "it). Constructors that the compiler inlines report the allocation at the call site "
	  "(for example &errors.errorString{...} at an errors.New call).",
	  "Return T by value when it is small, let the caller own the storage "
	  "(func (t *T) init()), or allocate once and reuse (sentinel errors).",
	  "type point struct{ x, y int }\n\nfunc origin() *point {\n\treturn &point{}\n}",
	  "type point struct{ x, y int }\n\nfunc origin() point {\n\treturn point{}\n}",
	  "er011", GO_ANY },
	{ "ER012", "Address of a local stored in a global", SEVERITY_WARNING,
	  "Storing &x in a package-level variable makes x live forever from the compiler's "
	  "point of view: x is heap-allocated.",
	  "Store the value, not its address, or make the variable itself package-level.",
	  "var current *int\n\nfunc set(n int) {\n\tv := n\n\tcurrent = &v\n}",
	  "var current int\n\nfunc set(n int) {\n\tcurrent = n\n}",
	  "er012", GO_ANY },
	{ "ER013", "Address of a local stored in a field, map or struct literal", SEVERITY_WARNING,
	  "&x is stored through a pointer, into a field, a map or slice element, or into a "
	  "struct literal that escapes, so x moves to the heap (for example Event{At: &now}).",
	  "Store the value by value (a time.Time field instead of *time.Time), or allocate "
	  "the containing object once and fill it in place.",
	  "type event struct{ at *time.Time }\n\nfunc stamp(e *event) {\n\tnow := time.Now()\n"
	  "\te.at = &now\n}",
	  "type event struct{ at time.Time }\n\nfunc stamp(e *event) {\n\te.at = time.Now()\n}",
	  "er013", GO_ANY },
	{ "ER014", "Pointer sent on a channel", SEVERITY_WARNING,
	  "Anything sent on a channel may be received by another goroutine, so the compiler "
	  "assumes it escapes: the pointed-to variable moves to the heap.",
	  "Send values instead of pointers when they are small.",
	  "func produce(c chan *int) {\n\tn := 1\n\tc <- &n\n}",
	  "func produce(c chan int) {\n\tc <- 1\n}",
	  "er014", GO_ANY },
	{ "ER015", "Pointer used as a map key", SEVERITY_WARNING,
	  "A map keeps its keys: storing &x as a key makes x escape to the heap.",
	  "Key the map by a value (an id, a string, a small struct).",
	  "func mark(seen map[*int]bool) {\n\tn := 1\n\tseen[&n] = true\n}",
	  "func mark(seen map[int]bool) {\n\tseen[1] = true\n}",
	  "er015", GO_ANY },
	{ "ER016", "Slice of a local array escapes", SEVERITY_WARNING,
	  "Slicing a local array (a[:]) takes its address; when the slice escapes, the whole "
	  "array is moved to the heap.",
	  "Let the caller pass in the buffer (append-style APIs), or copy the bytes out.",
	  "func digits() []byte {\n\tvar a [8]byte\n\treturn a[:]\n}",
	  "func digits(dst []byte) []byte {\n\tvar a [8]byte\n\treturn append(dst, a[:]...)\n}",
	  "er016", GO_ANY },
	{ "ER017", "Address of a loop variable collected", SEVERITY_ERROR,
	  "The address of a loop variable is kept beyond the iteration. Before Go 1.22 there is "
	  "one variable for the whole loop, so every collected pointer aliases the same heap "
	  "variable (a classic bug); from Go 1.22 on each iteration allocates a new variable.",
	  "Take the address of the element itself (&xs[i]), or copy into a fresh variable "
	  "declared inside the loop body if a copy is really wanted.",
	  "func ptrs(xs []int) []*int {\n\tvar out []*int\n\tfor _, v := range xs {\n"
	  "\t\tout = append(out, &v)\n\t}\n\treturn out\n}",
	  "func ptrs(xs []int) []*int {\n\tvar out []*int\n\tfor i := range xs {\n"
	  "\t\tout = append(out, &xs[i])\n\t}\n\treturn out\n}",
	  "er017", GO_ANY },
	{ "ER018", "Argument kept by the callee", SEVERITY_WARNING,
	  "The callee leaks the parameter this value is passed as (it stores it, returns it "
	  "somewhere that escapes, or hands it on), so the caller's variable moves to the heap. "
	  "The fix is usually in the callee: its `leaking param` line says why.",
	  "Change the callee so the parameter does not leak (copy what it keeps), or pass a "
	  "value instead of a pointer.",
	  "var last *int\n\nfunc keep(p *int) { last = p }\n\nfunc use() {\n\tn := 1\n\tkeep(&n)\n}",
	  "var last int\n\nfunc keep(p *int) { last = *p }\n\nfunc use() {\n\tn := 1\n\tkeep(&n)\n}",
	  "er018", GO_ANY },
	{ "ER019", "Argument of a call through a func value", SEVERITY_WARNING,
	  "The compiler cannot see which function a func value (a parameter, a field, a "
	  "callback) calls, so it assumes every pointer argument escapes.",
	  "Call a named function, pass values instead of pointers, or make the callback "
	  "generic-free and small enough to inline at the call site.",
	  "func visit(f func(*int)) {\n\tn := 1\n\tf(&n)\n}",
	  "func visit(f func(int)) {\n\tf(1)\n}",
	  "er019", GO_ANY },
	{ "ER020", "Argument of an interface method call", SEVERITY_WARNING,
	  "A method called through an interface is not known at compile time (unless the "
	  "compiler devirtualizes it), so pointer arguments and the receiver are assumed to "
	  "escape: io.Writer.Write(b) makes b's backing array escape.",
	  "Call the concrete type when it is known, or keep the buffer long-lived (reused) so "
	  "the escape costs one allocation, not one per call.",
	  "func emit(w io.Writer) {\n\tvar b [64]byte\n\tw.Write(b[:])\n}",
	  "func emit(w *bufio.Writer) {\n\tvar b [64]byte\n\tw.Write(b[:])\n}",
	  "er020", GO_ANY },
	{ "ER021", "Argument of a //go:uintptrescapes function", SEVERITY_INFO,
	  "The callee is marked //go:uintptrescapes: a pointer converted to uintptr in its "
	  "arguments is kept alive by moving the object to the heap. This is by design "
	  "(syscall-style APIs).",
	  "Nothing, unless the call is hot: then keep the object in memory that is already on "
	  "the heap.",
	  "//go:uintptrescapes\nfunc sys(p uintptr)\n\nfunc call() {\n\tvar x int\n"
	  "\tsys(uintptr(unsafe.Pointer(&x)))\n}",
	  "var x int // package-level: already static\n\nfunc call() {\n"
	  "\tsys(uintptr(unsafe.Pointer(&x)))\n}",
	  "er021", GO_ANY },
	{ "ER022", "Variable captured by reference by an escaping closure", SEVERITY_WARNING,
	  "A closure that escapes (returned, stored, passed to a goroutine) captures a "
	  "variable by reference because it assigns to it or takes its address: the variable "
	  "moves to the heap, in addition to the closure itself.",
	  "Capture a copy that the closure does not modify, or pass the value as a parameter.",
	  "func counter() func() int {\n\tn := 0\n\treturn func() int { n++; return n }\n}",
	  "type counter struct{ n int }\n\nfunc (c *counter) next() int { c.n++; return c.n }",
	  "er022", GO_ANY },
	{ "ER023", "Large variable captured by reference", SEVERITY_WARNING,
	  "Variables larger than 128 bytes are captured by reference even when the closure only "
	  "reads them, so an escaping closure moves the whole variable to the heap.",
	  "Capture only the part that is needed (copy one field into a small local first), "
	  "or pass a pointer to data that is already on the heap.",
	  "func reader() func() byte {\n\tvar buf [256]byte\n\treturn func() byte { return buf[0] }\n}",
	  "func reader() func() byte {\n\tvar buf [256]byte\n\tfirst := buf[0]\n"
	  "\treturn func() byte { return first }\n}",
	  "er023", GO_ANY },
	{ "ER024", "Goroutine closure", SEVERITY_INFO,
	  "A function literal started with `go` always escapes: the goroutine outlives the "
	  "statement, so the closure and what it captures are heap-allocated. Starting the "
	  "goroutine costs more than this allocation.",
	  "Nothing usually; pass the values as arguments (go worker(n)) to keep captures small, "
	  "and reuse long-lived goroutines on hot paths.",
	  "func start(n int) {\n\tgo func() {\n\t\tprintln(n)\n\t}()\n}",
	  "func worker(n int) { println(n) }\n\nfunc start(n int) {\n\tgo worker(n)\n}",
	  "er024", GO_ANY },
	{ "ER025", "Deferred closure inside a loop", SEVERITY_ERROR,
	  "A defer inside a loop cannot be open-coded: every iteration allocates its closure "
	  "and defer record on the heap, and nothing runs until the function returns (files "
	  "stay open, locks stay held).",
	  "Move the loop body into a function so the defer runs per iteration, or call the "
	  "cleanup explicitly at the end of the iteration.",
	  "func closeAll(fs []*os.File) {\n\tfor _, f := range fs {\n\t\tdefer func() { f.Close() }()\n\t}\n}",
	  "func closeAll(fs []*os.File) {\n\tfor _, f := range fs {\n\t\tf.Close()\n\t}\n}",
	  "er025", GO_ANY },
	{ "ER026", "Method value escapes", SEVERITY_WARNING,
	  "A method value (t.M without a call) is a closure binding its receiver; when it "
	  "escapes (returned, stored, passed as a callback) the closure is heap-allocated. "
	  "The compiler prints a boxed package variable (binary.BigEndian) or struct field "
	  "(hdr.Name) the same way: a name the file imports, or a field of the package's "
	  "structs that is no method of it, is taken as such (boxed into an interface, ER002 "
	  "and the like); a field of another package's struct cannot be told from a method.",
	  "Pass the receiver and call the method, use a method expression (T.M) with an "
	  "explicit receiver, or bind the method value once and reuse it.",
	  "type t struct{ n int }\n\nfunc (x *t) Inc() { x.n++ }\n\nfunc inc(x *t) func() {\n\treturn x.Inc\n}",
	  "type t struct{ n int }\n\nfunc (x *t) Inc() { x.n++ }\n\nfunc inc(x *t) {\n\tx.Inc()\n}",
	  "er026", GO_ANY },
	{ "ER027", "make with a non-constant size", SEVERITY_WARNING,
	  "make([]T, n) with n not a compile-time constant is allocated on the heap even when "
	  "the slice does not escape.",
	  "Use a constant capacity that covers the common case (a fixed-size array sliced to "
	  "n), or reuse a buffer across calls.",
	  "func sum(n int) int {\n\ts := make([]int, n)\n\treturn len(s)\n}",
	  "func sum(n int) int {\n\tvar a [64]int\n\ts := a[:0]\n\tif n <= len(a) {\n\t\ts = a[:n]\n\t}\n"
	  "\treturn len(s)\n}",
	  "er027", 0, 24,
	  "Go 1.19 to 1.24. From Go 1.25 on, a make whose size is not constant and that does "
	  "not escape gets a small stack buffer (used when the size fits, the heap otherwise), "
	  "and the compiler no longer reports it; a make that escapes for another reason is "
	  "ER029." },
	{ "ER028", "Too large for the stack", SEVERITY_WARNING,
	  "The value is larger than the stack limits of the compiler (64 KiB for implicit "
	  "allocations such as make/new/composite literals, 10 MiB for declared variables), so "
	  "it is heap-allocated even though it does not escape.",
	  "Allocate it once and reuse it (a pool, a field of a long-lived object), or process "
	  "the data in smaller chunks.",
	  "func scan() int {\n\tbuf := make([]byte, 1<<20)\n\treturn len(buf)\n}",
	  "var scratch = make([]byte, 1<<20)\n\nfunc scan() int {\n\treturn len(scratch)\n}",
	  "er028", GO_ANY },
	{ "ER029", "Slice or map literal or make that escapes", SEVERITY_WARNING,
	  "A slice literal, map literal or make(...) is returned or stored somewhere that "
	  "outlives the call, so its backing store is heap-allocated on every call. Go 1.25 "
	  "and newer also report the backing array an append allocates when the slice outlives "
	  "the call (`append escapes to heap`); older compilers print nothing for it.",
	  "Return a package-level read-only value if it never changes, let the caller pass in "
	  "the slice to append to, or reuse a buffer.",
	  "func defaults() []string {\n\treturn []string{\"a\", \"b\"}\n}",
	  "var defaultNames = []string{\"a\", \"b\"}\n\nfunc defaults() []string {\n\treturn defaultNames\n}",
	  "er029", GO_ANY },
	{ "ER030", "Elements leaked through append or copy", SEVERITY_WARNING,
	  "append and copy store their arguments into the destination slice: when that slice "
	  "escapes, everything appended (pointers, the backing arrays of appended slices) "
	  "escapes with it.",
	  "Append values instead of pointers, or index into the slice (&s[i]) instead of "
	  "appending the address of a local.",
	  "func collect(dst []*int) []*int {\n\tn := 1\n\treturn append(dst, &n)\n}",
	  "func collect(dst []int) []int {\n\treturn append(dst, 1)\n}",
	  "er030", GO_ANY },
	{ "ER031", "String or []byte conversion or concatenation escapes", SEVERITY_WARNING,
	  "string(b), []byte(s) and a + b create new backing arrays; when the result escapes "
	  "(returned, stored, boxed) the copy is heap-allocated. Non-escaping conversions up "
	  "to 32 bytes use a stack buffer.",
	  "Keep []byte end to end (append-style APIs, bytes functions), build strings once with "
	  "strings.Builder, or compare with string(b) == s, which does not allocate.",
	  "func key(a, b string) string {\n\treturn a + \":\" + b\n}",
	  "func key(dst []byte, a, b string) []byte {\n\tdst = append(dst, a...)\n"
	  "\tdst = append(dst, ':')\n\treturn append(dst, b...)\n}",
	  "er031", GO_ANY },
	{ "ER032", "Parameter content leaks through range, type switch or dereference", SEVERITY_INFO,
	  "What a parameter points to (its elements, the value behind the pointer, the dynamic "
	  "value in a type switch) flows to the heap or a result. This is a summary of the "
	  "function's contract: callers' pointed-to data escapes, the parameter itself does not.",
	  "If the callers should keep their data on the stack, copy the elements you keep "
	  "instead of storing the pointers.",
	  "var keep []*int\n\nfunc save(xs []*int) {\n\tfor _, x := range xs {\n\t\tkeep = append(keep, x)\n\t}\n}",
	  "var keep []int\n\nfunc save(xs []*int) {\n\tfor _, x := range xs {\n\t\tkeep = append(keep, *x)\n\t}\n}",
	  "er032", GO_ANY },
	{ "ER033", "Local buffer passed as an io.Writer", SEVERITY_WARNING,
	  "Passing &buf (a bytes.Buffer, strings.Builder or similar) where an interface such as "
	  "io.Writer is expected converts its address to an interface; the callee is not known, "
	  "so buf is moved to the heap.",
	  "Call the buffer's own methods (buf.WriteString), use strconv.Append*, or keep the "
	  "buffer in a long-lived object and reuse it.",
	  "func render(n int) string {\n\tvar buf bytes.Buffer\n\tfmt.Fprintf(&buf, \"%d\", n)\n"
	  "\treturn buf.String()\n}",
	  "func render(n int) string {\n\treturn strconv.Itoa(n)\n}",
	  "er033", GO_ANY },
	{ "ER034", "Type-parameter value boxed in a generic function", SEVERITY_WARNING,
	  "Generic functions are compiled once per GC shape with a dictionary; converting a "
	  "type-parameter value to an interface boxes it and the box escapes. Go 1.19 prints the "
	  "box as unsafe.Pointer(v). Newer compilers print the plain name inside the function "
	  "compiled for the shape (F[go.shape.int]) and a conversion to the shape type "
	  "(go.shape.int(3)) where they inlined the generic function, without the value's type: "
	  "there a value of a concrete type boxed in a generic function lands here too. A box "
	  "passed to fmt, log, reflect and the other APIs of rules ER001 to ER009 is reported "
	  "under those rules.",
	  "Keep the value typed (return T, not any), or take the interface at the API boundary "
	  "so the conversion happens once in non-generic code.",
	  "func box[T any](v T) any {\n\treturn v\n}",
	  "func id[T any](v T) T {\n\treturn v\n}",
	  "er034", GO_ANY },
	{ "ER035", "Parameter leaks to the heap", SEVERITY_INFO,
	  "A summary of the function's contract: the parameter is stored somewhere that "
	  "outlives the call (a global, the heap, an interface callee), so every caller's "
	  "argument escapes. The allocation happens at the callers, not here. The address "
	  "of a field counts as the parameter: `p.mu.Lock()` passes `&p.mu`, which "
	  "sync.Mutex's slow path hands on, so a method that locks a mutex field leaks its "
	  "receiver. The sentence follows the path that reaches the heap, not a path to a "
	  "result.",
	  "If the function only needs the value, copy it; if it keeps it on purpose, document "
	  "that the argument is retained.",
	  "var last *int\n\nfunc keep(p *int) {\n\tlast = p\n}",
	  "var last int\n\nfunc keep(p *int) {\n\tlast = *p\n}",
	  "er035", GO_ANY },
	{ "ER036", "Parameter flows to a result", SEVERITY_INFO,
	  "A summary of the function's contract: the parameter (or what it points to) is "
	  "returned, so the argument lives as long as the result. Nothing is allocated here; "
	  "whether the caller's variable escapes depends on what the caller does with the result.",
	  "Usually nothing; return a copy instead if callers should keep their argument on the "
	  "stack.",
	  "func first(xs []*int) *int {\n\treturn xs[0]\n}",
	  "func first(xs []*int) int {\n\treturn *xs[0]\n}",
	  "er036", GO_ANY },
	{ "ER037", "Closure allocated on the heap", SEVERITY_WARNING,
	  "A function literal escapes (returned, stored, passed to a callee that keeps it), so "
	  "its closure object, holding the captured variables, is heap-allocated.",
	  "Use a named function or a method when nothing needs to be captured, or pass "
	  "the captured values as parameters.",
	  "func adder(n int) func(int) int {\n\treturn func(x int) int { return x + n }\n}",
	  "func add(n, x int) int {\n\treturn x + n\n}",
	  "er037", GO_ANY },
	{ "ER038", "Explicit conversion to an interface escapes", SEVERITY_WARNING,
	  "A value is explicitly converted to an interface type (interface{}(v), error(v), any(v)) "
	  "and the interface escapes, so the value is boxed on the heap.",
	  "Keep the concrete type as long as possible; convert at the API boundary once.",
	  "var sink interface{}\n\nfunc put(n int) {\n\tsink = interface{}(n)\n}",
	  "var sink int\n\nfunc put(n int) {\n\tsink = n\n}",
	  "er038", GO_ANY },
	{ "ER039", "Allocated once, when the package is initialised", SEVERITY_INFO,
	  "The value is allocated while the package is initialised: in a package-level "
	  "variable's initialiser or in the body of func init. That code runs once per process, "
	  "not per call, so the heap allocation costs nothing worth reviewing. (A closure "
	  "defined there is different: what its body allocates, it allocates per call.) "
	  "Newer compilers (Go 1.26, unlike Go 1.19) lay out more of these values statically "
	  "(errors.New with a constant message, &T{...} from an inlined constructor) and report "
	  "nothing for them.",
	  "Nothing to fix; package-level sentinel errors and tables are the usual way to avoid "
	  "per-call allocations.",
	  "var scores = map[string]int{\"a\": 1, \"b\": 2}",
	  "var scores = map[string]int{\"a\": 1, \"b\": 2} // built once, read by every call",
	  "er039", GO_ANY },
	{ "ER040", "Address stored in a variable that escapes in turn", SEVERITY_WARNING,
	  "&x is assigned to another local (a pointer p, a pointer to a pointer) and that "
	  "variable escapes: x moves to the heap because p does. The finding of p (or of the "
	  "last variable in the chain) says where the chain leaves the function.",
	  "Fix the escape of the last variable in the chain; x stays on the stack once nothing "
	  "that points to it escapes.",
	  "var sink **int\n\nfunc chain() {\n\tx := 1\n\tp := &x\n\tsink = &p\n}",
	  "var sink int\n\nfunc chain() {\n\tx := 1\n\tp := &x\n\tsink = *p\n}",
	  "er040", GO_ANY },
	/* performance contracts (contract.h, docs/contracts.md): checked, never classified */
	{ "ER041", "Contract //escape:none broken: the code allocates", SEVERITY_ERROR,
	  "The line or function carries //escape:none, a promise that nothing in it is allocated "
	  "on the heap, and the compiler reports a `moved to heap` or `escapes to heap` inside it "
	  "(a `leaking param` allocates nothing and does not break it). The finding carries the "
	  "allocation's own -m=2 chain. A broken contract is never acknowledged by //escape:ok "
	  "nor accepted by the baseline."
	  " Compilers: Go 1.19 to 1.26 alike; an allocation a newer compiler no longer makes "
	  "(it inlines more) keeps a contract that an older one breaks.",
	  "Remove the allocation (the chain's last step says what makes it escape), or change "
	  "the contract in the same change if the allocation is now wanted.",
	  "//escape:none\nfunc sum(xs []int) *int {\n\ts := 0\n\tfor _, x := range xs {\n"
	  "\t\ts += x\n\t}\n\treturn &s\n}",
	  "//escape:none\nfunc sum(xs []int) int {\n\ts := 0\n\tfor _, x := range xs {\n"
	  "\t\ts += x\n\t}\n\treturn s\n}",
	  "er041", GO_ANY },
	{ "ER042", "Contract //escape:inline broken: a call is not inlined", SEVERITY_ERROR,
	  "On a line, //escape:inline promises that every call written on it is inlined "
	  "(`inlining call to F` at the call's parenthesis); on a function, that the function "
	  "is inlinable (`can inline F with cost N`). The finding quotes the compiler's reason "
	  "when it printed one (`cannot inline F: function too complex: cost 95 exceeds budget "
	  "80`)."
	  " Compilers: the budget is 80 on Go 1.19 to 1.26, but the cost of the same function "
	  "differs between releases (one function of the tests costs 120 on Go 1.19 and 119 on "
	  "Go 1.26).",
	  "Shrink the callee under the budget (move the cold path into a function of its own), "
	  "remove what cannot be inlined (a //go:noinline, recover, a type switch on older "
	  "compilers), or drop the contract in the same change.",
	  "//escape:inline\nfunc get(xs []int, i int) int {\n\tif i >= len(xs) {\n"
	  "\t\tpanic(fmt.Sprintf(\"index %d of %d\", i, len(xs)))\n\t}\n\treturn xs[i]\n}",
	  "//escape:inline\nfunc get(xs []int, i int) int {\n\tif i >= len(xs) {\n"
	  "\t\toutOfRange(i, len(xs))\n\t}\n\treturn xs[i]\n}",
	  "er042", GO_ANY },
	{ "ER043", "Contract //escape:bce broken: a bounds check remains", SEVERITY_ERROR,
	  "//escape:bce promises that no bounds check is left on the line or in the function. "
	  "The packages that hold the directive are compiled with -d=ssa/check_bce/debug=1, and "
	  "the compiler printed `Found IsInBounds` (an index) or `Found IsSliceInBounds` (a "
	  "slice expression) there; a check inlined from a callee is reported at the call."
	  " Compilers: Go 1.19 to 1.26 print the same two messages; a newer compiler may prove "
	  "more indexes in range, so a contract can hold there and break on an older one.",
	  "Prove the index in range before the loop (`_ = xs[n-1]`, or reslice `xs = xs[:n]`), "
	  "range over the slice instead of indexing it, or drop the contract in the same change.",
	  "//escape:bce\nfunc first3(xs []int) int {\n\treturn xs[0] + xs[1] + xs[2]\n}",
	  "//escape:bce\nfunc first3(xs []int) int {\n\t_ = xs[2]\n\treturn xs[0] + xs[1] + xs[2]\n}",
	  "er043", GO_ANY },
	{ "ER044", "Unknown contract directive", SEVERITY_ERROR,
	  "A //escape: comment names a word that is no directive (the directives are none, "
	  "inline and bce, and ok for acknowledgements). It is reported rather than ignored, "
	  "so that a misspelt contract never passes as a kept one.",
	  "Correct the word (//escape:none, //escape:inline, //escape:bce, or several separated "
	  "by commas without spaces: //escape:none,inline).",
	  "//escape:noalloc\nfunc f() {}",
	  "//escape:none\nfunc f() {}",
	  "er044", GO_ANY },
	{ "ER045", "Contract directive with nothing to check", SEVERITY_ERROR,
	  "The directive covers a line where it cannot hold or break: //escape:inline on a line "
	  "without a call, //escape:bce on a line without an index or slice expression, "
	  "//escape:none on a line without code. Usually the directive was left behind when "
	  "the code moved.",
	  "Move the directive to the line it is about (after its code, or alone on the line "
	  "above), into the function's doc comment for the whole body, or remove it.",
	  "//escape:inline\nx := 1",
	  "x := add(1, 2) //escape:inline",
	  "er045", GO_ANY },
};

#define RULES_NR ARRAY_SIZE(rules)

const struct rule *checklist_rules(size_t *nr)
{
	*nr = RULES_NR;
	return rules;
}

const struct rule *checklist_find_nocase(const char *id)
{
	size_t i;

	for (i = 0; i < RULES_NR; i++)
		if (!strcasecmp(rules[i].id, id))
			return &rules[i];
	return NULL;
}

int checklist_rule_applies(const struct rule *r, int minor)
{
	return (!r->go_min || minor >= r->go_min) && (!r->go_max || minor <= r->go_max);
}

const struct rule *checklist_find(const char *id)
{
	size_t i;

	/* "ERnnn" is rules[nnn] (the table is in order): looked at directly,
	 * as every finding's rule is when its severity is set */
	if (id[0] == 'E' && id[1] == 'R' && id[2] >= '0' && id[2] <= '9' && id[3] >= '0' &&
	    id[3] <= '9' && id[4] >= '0' && id[4] <= '9' && !id[5]) {
		i = (size_t)((id[2] - '0') * 100 + (id[3] - '0') * 10 + (id[4] - '0'));
		if (i < RULES_NR && !strcmp(rules[i].id, id))
			return &rules[i];
	}
	for (i = 0; i < RULES_NR; i++)
		if (!strcmp(rules[i].id, id))
			return &rules[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Policy                                                               */
/* ------------------------------------------------------------------ */

void checklist_policy_release(struct checklist_policy *p)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		free(p->items[i].id);
	free(p->items);
	p->items = NULL;
	p->nr = p->alloc = 0;
}

void checklist_policy_set(struct checklist_policy *p, const char *id, int severity,
			  int disabled)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		if (!strcmp(p->items[i].id, id))
			break;
	if (i == p->nr) {
		ALLOC_GROW(p->items, p->nr + 1, p->alloc);
		p->items[p->nr].id = xstrdup(id);
		p->nr++;
	}
	p->items[i].severity = severity;
	p->items[i].disabled = !!disabled;
}

static const struct rule_override *policy_get(const struct checklist_policy *p, const char *id)
{
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < p->nr; i++)
		if (!strcmp(p->items[i].id, id))
			return &p->items[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* What the subject expression is                                       */
/* ------------------------------------------------------------------ */

enum subject_kind {
	SK_NAME,      /* x, x.f, x[i], *p: a value operand */
	SK_ADDR,      /* &x, &T{...} */
	SK_NEW,       /* new(T) */
	SK_MAKE,      /* make(...) */
	SK_SLICELIT,  /* []T{...} */
	SK_MAPLIT,    /* map[K]V{...} */
	SK_COMPLIT,   /* T{...} (struct or array value) */
	SK_ZERO,      /* T{} or struct {}{}: a zero-valued (static) literal */
	SK_EMPTY,     /* []T{} or S{} of a slice type: no elements, nothing allocated */
	SK_STATIC,    /* T{1, "a"} of a struct or array type: constants only */
	SK_CONST,     /* 42, "str", 'c', true, nil */
	SK_FUNCLIT,   /* func literal */
	SK_DOTS,      /* ... argument */
	SK_STRCONV,   /* string(b), ([]byte)(s), ([]rune)(s) */
	SK_CONCAT,    /* a + b (strings) */
	SK_IFACE,     /* (interface {})(v), error(v), any(v) */
	SK_UNSAFE,    /* unsafe.Pointer(v) */
	SK_CALL,      /* f(x): the result of a call */
	SK_APPEND,    /* append: the backing array append allocates (Go 1.25 and newer) */
	SK__COUNT
};

#define SK(k) (1u << SK_##k)
/* the subjects an interface conversion prints: the boxed operand (Go 1.19
 * prints a type-parameter value it boxes as unsafe.Pointer(v)) */
#define SK_VALUES (SK(NAME) | SK(COMPLIT) | SK(CALL) | SK(UNSAFE))

static int is_ident_char(int c)
{
	return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

/* A one-byte operator token: its byte, else 0. */
static char op1(const struct golex *lx, const struct gotoken *t)
{
	return t->kind == GOTOK_OP && t->len == 1 ? lx->s[t->off] : 0;
}

/*
 * What the tokens of an expression say: *concat, a binary '+' at bracket
 * depth 0 (a string concatenation); *constant, a literal (possibly signed)
 * first and no name after it (`4 * indent` is no constant), or true,
 * false, nil alone.
 */
static void expr_shape(const char *s, size_t n, int *concat, int *constant)
{
	struct golex lx;
	struct gotoken t;
	size_t i = 0;
	int depth = 0, sign = 0, first_ident = 0, names = 0;

	*concat = *constant = 0;
	golex_init(&lx, s, n, GOLEX_CODE);
	for (; golex_next(&lx, &t) != GOTOK_EOF; i++) {
		char c = op1(&lx, &t);

		if (i == 0 && (c == '-' || c == '+'))
			sign = 1;
		if (i == (size_t)sign) {
			*constant = t.kind == GOTOK_NUMBER || t.kind == GOTOK_STRING ||
				    t.kind == GOTOK_RAW || t.kind == GOTOK_RUNE;
			first_ident = i == 0 && (gotok_is(&lx, &t, "true") ||
						 gotok_is(&lx, &t, "false") || gotok_is(&lx, &t, "nil"));
		}
		names += t.kind == GOTOK_IDENT;
		if (c == '(' || c == '[' || c == '{')
			depth++;
		else if ((c == ')' || c == ']' || c == '}') && depth)
			depth--;
		else if (!depth && i && c == '+')
			*concat = 1;
	}
	if (names)
		*constant = 0;
	if (first_ident && i == 1)
		*constant = 1;
}

static enum subject_kind subject_kind(const char *s)
{
	size_t n;
	int concat, constant;

	if (!s || !*s)
		return SK_NAME;
	if (!strcmp(s, "append"))
		return SK_APPEND;
	/* generic code (Go 1.20 and newer): a literal of a shape type is the
	 * literal (go.shape.[]string{...}); a conversion to a scalar shape type
	 * where a generic function was inlined is its operand (go.shape.int(3)
	 * is the constant 3, go.shape.string(s) the value s, not a string(b)
	 * conversion) */
	if (starts_with(s, "go.shape.")) {
		const char *t = s + 9, *open;

		while (is_ident_char(*t))
			t++;
		open = t;
		if (t > s + 9 && *open == '(' && (n = strlen(open)) >= 2 && open[n - 1] == ')') {
			char *operand = xstrndup(open + 1, n - 2);
			enum subject_kind k = subject_kind(operand);

			free(operand);
			return k == SK_CONST ? SK_CONST : SK_CALL;
		}
		if (*s && (s[9] == '[' || s[9] == '*' || !strncmp(s + 9, "struct {", 8) ||
			   !strncmp(s + 9, "map[", 4)))
			s += 9;
	}
	n = strlen(s);
	if (!strcmp(s, "func literal"))
		return SK_FUNCLIT;
	if (!strcmp(s, "... argument"))
		return SK_DOTS;
	expr_shape(s, n, &concat, &constant);
	if (concat)
		return SK_CONCAT;
	if (constant)
		return SK_CONST;
	if (*s == '&')
		return SK_ADDR;
	if (starts_with(s, "new("))
		return SK_NEW;
	if (starts_with(s, "make("))
		return SK_MAKE;
	if (starts_with(s, "string(") || starts_with(s, "([]byte)(") ||
	    starts_with(s, "([]rune)(") || starts_with(s, "[]byte(") || starts_with(s, "[]rune("))
		return SK_STRCONV;
	if (starts_with(s, "unsafe.Pointer("))
		return SK_UNSAFE;
	if (starts_with(s, "(interface {")  || starts_with(s, "interface {") ||
	    starts_with(s, "error(") || starts_with(s, "any(") || starts_with(s, "(any)("))
		return SK_IFACE;
	if (starts_with(s, "[]"))
		return n >= 4 && !strcmp(s + n - 2, "{}") ? SK_EMPTY : SK_SLICELIT;
	if (starts_with(s, "map["))
		return SK_MAPLIT;
	if (n >= 2 && s[n - 1] == '}') {
		if (n >= 2 && s[n - 2] == '{')
			return SK_ZERO;
		return SK_COMPLIT;
	}
	if (n >= 1 && s[n - 1] == ')' && strchr(s, '('))
		return SK_CALL;
	return SK_NAME;
}

/*
 * The composite literal whose '{' is at byte column `col` of `line` (where
 * the compiler puts it) holds constants only, on that line: literals
 * (signed, in constant expressions), true, false, nil, and field or index
 * keys; no name that may be a variable (a named constant counts as one),
 * no nested literal (it may be a slice), nothing the line does not close.
 */
static int constant_literal(const char *line, int col)
{
	struct gotokens tk = GOTOKENS_INIT;
	size_t i = 0, n = strlen(line), close;
	int ok = 0;

	if (col < 1 || (size_t)col > n || line[col - 1] != '{')
		return 0;
	gotokens_lex(&tk, line + col - 1, n - (size_t)col + 1, GOLEX_CODE);
	if ((close = gotokens_match(&tk, 0, tk.nr)) == tk.nr)
		goto out;
	for (ok = 1, i++; ok && i < close; i++) {
		const struct gotoken *t = &tk.t[i];

		switch (t->kind) {
		case GOTOK_NUMBER: case GOTOK_STRING: case GOTOK_RAW: case GOTOK_RUNE:
		case GOTOK_COMMENT: case GOTOK_BLOCK:
			break;
		case GOTOK_IDENT:
			/* a key: after '{' or ',' and before ':' */
			ok = gotokens_is(&tk, i, "true") || gotokens_is(&tk, i, "false") ||
			     gotokens_is(&tk, i, "nil") ||
			     (gotokens_is(&tk, i + 1, ":") &&
			      (gotokens_is(&tk, i - 1, "{") || gotokens_is(&tk, i - 1, ",")));
			break;
		case GOTOK_OP:
			ok = !gotokens_is(&tk, i, "{") && !gotokens_is(&tk, i, "[") &&
			     !gotokens_is(&tk, i, ".") && !gotokens_is(&tk, i, "<-") &&
			     !gotokens_is(&tk, i, "...") && !gotokens_is(&tk, i, "&");
			break;
		default:
			ok = 0;
		}
	}
out:
	gotokens_release(&tk);
	return ok;
}

/*
 * T{} or T{...} of a type the package declares as a map or a slice
 * (finding.lit_kind, from the locate): a map literal allocates, empty or
 * not; an empty slice literal has no backing array to allocate.  A
 * literal of constants of a struct or array type (declared so, or an
 * array type as printed) is laid out in read-only data.
 */
static enum subject_kind literal_kind(enum subject_kind k, const struct finding *f,
				      const char *line, int old, int *dependent)
{
	*dependent = 0;
	if (k == SK_COMPLIT && f->verdict == VERDICT_ESCAPES &&
	    (f->lit_kind == LIT_VALUE || (f->subject[0] == '[' && f->subject[1] != ']')) &&
	    constant_literal(line, f->column)) {
		*dependent = 1; /* Go 1.24 and older allocate it */
		return old ? SK_COMPLIT : SK_STATIC;
	}
	if (k != SK_ZERO && k != SK_COMPLIT)
		return k;
	if (f->lit_kind == LIT_MAP)
		return SK_MAPLIT;
	if (f->lit_kind == LIT_SLICE)
		return k == SK_ZERO ? SK_EMPTY : SK_SLICELIT;
	if (k == SK_ZERO && f->verdict == VERDICT_ESCAPES && !f->zero_size) {
		*dependent = 1; /* a zero value Go 1.24 and older allocate */
		return old ? SK_COMPLIT : SK_ZERO;
	}
	return k;
}

/* ------------------------------------------------------------------ */
/* The steps of the chain                                               */
/* ------------------------------------------------------------------ */

/*
 * A `from EXPR (REASON)` step: the expression and the reason, or 0 when
 * the step is a `flow:` line or has no reason.
 */
static int step_split(const char *text, const char **expr, size_t *expr_len,
		      enum flow_reason *reason)
{
	const char *open, *end;
	size_t n;

	if (!skip_prefix(text, "from ", expr))
		return 0;
	n = strlen(*expr);
	end = *expr + n;
	if (!n || end[-1] != ')')
		return 0;
	for (open = end - 2; open > *expr; open--)
		if (*open == '(' && open[-1] == ' ')
			break;
	if (open <= *expr)
		return 0;
	*reason = reason_parse(open + 1, (size_t)(end - 1 - (open + 1)));
	*expr_len = (size_t)(open - 1 - *expr);
	return 1;
}

/* The callee of a call expression "f(a, b)" -> "f", "(*T).M(t, x)" -> "(*T).M":
 * the length up to the last '(' at depth 0 that is not the first byte, or 0. */
static size_t callee_len(const char *expr, size_t n)
{
	struct golex lx;
	struct gotoken t;
	size_t open = 0;
	int depth = 0;

	golex_init(&lx, expr, n, GOLEX_CODE);
	while (golex_next(&lx, &t) != GOTOK_EOF) {
		char c = op1(&lx, &t);

		if (c == '(' || c == '[' || c == '{') {
			if (!depth && c == '(' && t.off > 0)
				open = t.off;
			depth++;
		} else if ((c == ')' || c == ']' || c == '}') && depth) {
			depth--;
		}
	}
	return open;
}

/* Match `s` (length n) against one glob: "p*" prefix, "*s" suffix, "*x*" substring, else exact. */
static int glob1(const char *pat, size_t plen, const char *s, size_t n)
{
	int lead = plen && pat[0] == '*', trail = plen > (size_t)lead && pat[plen - 1] == '*';
	const char *core = pat + lead;
	size_t clen = plen - lead - trail;

	if (lead && trail) {
		size_t i;

		for (i = 0; i + clen <= n; i++)
			if (!memcmp(s + i, core, clen))
				return 1;
		return 0;
	}
	if (trail)
		return n >= clen && !memcmp(s, core, clen);
	if (lead)
		return n >= clen && !memcmp(s + n - clen, core, clen);
	return n == clen && !memcmp(s, core, clen);
}

/* Match against a '|'-separated list of globs. */
static int glob_any(const char *pats, const char *s, size_t n)
{
	while (*pats) {
		const char *bar = strchr(pats, '|');
		size_t plen = bar ? (size_t)(bar - pats) : strlen(pats);

		if (glob1(pats, plen, s, n))
			return 1;
		if (!bar)
			break;
		pats = bar + 1;
	}
	return 0;
}

/* Substring test against a '|'-separated list. */
static int contains_any(const char *pats, const char *s)
{
	while (*pats) {
		const char *bar = strchr(pats, '|');
		size_t plen = bar ? (size_t)(bar - pats) : strlen(pats);
		const char *p;

		for (p = s; (p = strchr(p, pats[0])); p++)
			if (!strncmp(p, pats, plen))
				return 1;
		if (!bar)
			break;
		pats = bar + 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Predicates over the source line and the chain                       */
/* ------------------------------------------------------------------ */

enum {
	P_LOOPVAR = 1 << 0,        /* line declares the subject in a for clause */
	P_LINE_DEFER = 1 << 1,     /* line is a defer statement */
	P_LINE_GO = 1 << 2,        /* line is a go statement */
	P_BIG_DECL = 1 << 3,       /* line declares an array over 128 bytes */
	P_GENERIC = 1 << 4,        /* boxing inside a generic (shape) function */
	P_METHOD_VALUE = 1 << 5,   /* subject x.M is used without a call on its line */
	P_KEY_LHS_IDENT = 1 << 6,  /* key step assigns to a plain identifier */
	P_KEY_LHS_INDIRECT = 1 << 7, /* key step assigns through a field/index/deref */
	P_CALLEE_DYNAMIC = 1 << 8, /* a callee is x.M with x not a package or type */
	P_RESULT_LEAK = 1 << 9,    /* a "to result" leak summary */
	P_PACKAGE_VAR = 1 << 10,   /* runs at package initialisation (locate's in_init) */
	P_ZERO_SIZE = 1 << 11,     /* the subject's type has zero size (locate's zero_size) */
};

/* Top-level package names of the standard library (Go 1.19 to 1.26): `pkg.F`
 * is not a method call. */
static const char *const std_packages =
	"=adler32|=aes|=ascii85|=asn1|=ast|=atomic|=base32|=base64|=big|=binary|=bits|=bufio|"
	"=build|=bytes|=bzip2|=cgi|=cipher|=cmp|=cmplx|=color|=constant|=context|=cookiejar|"
	"=crc32|=crc64|=crypto|=csv|=debug|=des|=doc|=dsa|=ecdh|=ecdsa|=ed25519|=elf|=elliptic|"
	"=embed|=errors|=exec|=expvar|=fcgi|=filepath|=flag|=flate|=fmt|=fnv|=format|=fs|"
	"=fstest|=gif|=gob|=gzip|=hash|=heap|=hex|=hkdf|=hmac|=html|=http|=httptest|=httptrace|"
	"=httputil|=image|=io|=ioutil|=iotest|=iter|=jpeg|=json|=jsonrpc|=list|=log|=lzw|=mail|"
	"=maphash|=maps|=math|=md5|=metrics|=mime|=mlkem|=multipart|=net|=netip|=os|=palette|"
	"=parse|=path|=pbkdf2|=pe|=pem|=pkix|=plugin|=png|=pprof|=printer|=quick|"
	"=quotedprintable|=rand|=rc4|=reflect|=regexp|=ring|=rpc|=rsa|=runtime|=scanner|=sha1|"
	"=sha256|=sha3|=sha512|=signal|=slices|=slog|=smtp|=sort|=strconv|=strings|=structs|"
	"=subtle|=suffixarray|=sync|=synctest|=syntax|=syscall|=tabwriter|=tar|=template|"
	"=testing|=textproto|=time|=token|=trace|=types|=unicode|=unique|=unsafe|=url|=user|"
	"=utf16|=utf8|=weak|=xml|=zip|=zlib";

static int is_std_package(const char *s, size_t n)
{
	const char *p = std_packages;

	while ((p = strchr(p, '='))) {
		const char *end = strchr(p, '|');
		size_t len = end ? (size_t)(end - p - 1) : strlen(p + 1);

		if (len == n && !memcmp(p + 1, s, n))
			return 1;
		p++;
	}
	return 0;
}

/* "x.M" (x an identifier, possibly x.y.M) that is not pkg.F: an interface or field call. */
static int callee_is_dynamic(const char *c)
{
	const char *dot = strchr(c, '.');
	const char *s;

	if (!dot || c[0] == '(' || c[0] == '.')
		return 0;
	if (strchr(c, '['))
		return 0;  /* an instantiation (pkg.F[go.shape.int]): methods have no type parameters */
	for (s = c; s < dot; s++)
		if (!is_ident_char(*s))
			return 0;
	if (isupper((unsigned char)c[0]))
		return 0;  /* T.M: a method expression */
	return !is_std_package(c, (size_t)(dot - c));
}

/* `for k, v := range ...` or `for i := 0; ...` declaring `name`. */
static int line_declares_loopvar(const struct gotokens *tk, const char *name)
{
	size_t i, n = strlen(name);

	if (!gotokens_is(tk, 0, "for"))
		return 0;
	for (i = 1; i < tk->nr && !gotokens_is(tk, i, ":="); i++)
		if (tk->t[i].kind == GOTOK_IDENT && tk->t[i].len == n &&
		    !memcmp(tk->lx.s + tk->t[i].off, name, n)) {
			size_t k;

			for (k = i + 1; k < tk->nr; k++)
				if (gotokens_is(tk, k, ":="))
					return 1;
			return 0;
		}
	return 0;
}

/*
 * Is the expression at 1-based byte `column` of the line the operand of
 * the statement keyword `kw` ("go func() {...}()" at the column of
 * "func")?  Without a column, the line must start with the keyword.
 */
static int statement_keyword(const struct gotokens *tk, int column, const char *kw)
{
	size_t i;

	if (column > 1)
		for (i = 1; i < tk->nr; i++)
			if (tk->t[i].col == column)
				return gotokens_is(tk, i - 1, kw) &&
				       tk->t[i - 1].off + tk->t[i - 1].len < tk->t[i].off;
	return tk->nr > 1 && gotokens_is(tk, 0, kw);
}

/* Size in bytes of an element type name, as a rough guess. */
static unsigned long elem_size(const char *t, size_t n)
{
	static const struct { const char *name; unsigned size; } sizes[] = {
		{ "byte", 1 }, { "uint8", 1 }, { "int8", 1 }, { "bool", 1 },
		{ "int16", 2 }, { "uint16", 2 }, { "int32", 4 }, { "uint32", 4 },
		{ "rune", 4 }, { "float32", 4 }, { "string", 16 }, { "complex128", 16 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (strlen(sizes[i].name) == n && !memcmp(t, sizes[i].name, n))
			return sizes[i].size;
	return 8;
}

/* The line declares an array of more than 128 bytes: `var a [256]byte`, `a := [64]int{}`. */
static int line_declares_big_array(const struct gotokens *tk)
{
	size_t i;

	for (i = 0; i + 2 < tk->nr; i++) {
		char num[32], *end;
		unsigned long n;
		size_t k, len = 0;

		if (!gotokens_is(tk, i, "[") || tk->t[i + 1].kind != GOTOK_NUMBER ||
		    !gotokens_is(tk, i + 2, "]"))
			continue;
		for (k = 0; k < tk->t[i + 1].len && len + 1 < sizeof(num); k++)
			if (tk->lx.s[tk->t[i + 1].off + k] != '_')
				num[len++] = tk->lx.s[tk->t[i + 1].off + k];
		num[len] = '\0';
		n = strtoul(num, &end, 0);
		if (*end || !n)
			continue;
		if (i + 3 < tk->nr && tk->t[i + 3].kind == GOTOK_IDENT) {
			if (n * elem_size(tk->lx.s + tk->t[i + 3].off, tk->t[i + 3].len) > 128)
				return 1;
		} else if (n * 8 > 128) {
			return 1;
		}
	}
	return 0;
}

/* The subject "x.M" appears on the line and is not called there. */
static int line_has_method_value(const struct gotokens *tk, const char *subject)
{
	struct gotokens sub = GOTOKENS_INIT;
	const char *dot = strrchr(subject, '.'), *p;
	size_t i, k;
	int found = 0;

	if (!dot || !isupper((unsigned char)dot[1]))
		return 0;
	for (p = dot + 1; *p; p++)
		if (!is_ident_char(*p))
			return 0;
	gotokens_lex(&sub, subject, strlen(subject), GOLEX_CODE);
	for (i = 0; sub.nr && i + sub.nr <= tk->nr && !found; i++) {
		for (k = 0; k < sub.nr; k++)
			if (tk->t[i + k].len != sub.t[k].len ||
			    memcmp(tk->lx.s + tk->t[i + k].off, sub.lx.s + sub.t[k].off, sub.t[k].len))
				break;
		if (k == sub.nr && !gotokens_is(tk, i + k, "("))
			found = 1;
	}
	gotokens_release(&sub);
	return found;
}

/* ------------------------------------------------------------------ */
/* The match table                                                      */
/* ------------------------------------------------------------------ */

#define R(x) (1ULL << REASON_##x)
#define V(x) (1u << VERDICT_##x)
#define V_ALLOC (V(MOVED) | V(ESCAPES))
#define V_LEAK (V(LEAK_PARAM) | V(LEAK_CONTENT))
#define R_ASSIGNS (R(ASSIGN) | R(ASSIGN_PAIR) | R(ASSIGN_PAIR_DOT_TYPE) | \
		   R(ASSIGN_PAIR_MAPR) | R(ASSIGN_PAIR_RECEIVE))
#define NO_KEY (-1)
#define KEY_ANY (-2)   /* the last step with one of the `any` reasons */
/* the last step on a path into {heap} (heap_path_step()); with `any`, the
 * last with one of those reasons there, and the match needs one */
#define KEY_HEAP (-3)

/*
 * One way to recognise a rule.  Every given criterion must hold; the
 * match with the highest `prio` wins (ties: the earlier entry).  A rule
 * may have several entries.
 */
struct rule_match {
	const char *rule;
	int prio;
	unsigned verdicts;      /* 1 << enum verdict; 0: any */
	uint64_t all;           /* every one of these reasons */
	uint64_t any;           /* at least one of these reasons; 0: no constraint */
	uint64_t none;          /* none of these reasons */
	unsigned dsts;          /* at least one of these destinations; 0: any */
	unsigned dsts_none;     /* none of these destinations */
	unsigned subjects;      /* 1 << enum subject_kind; 0: any */
	const char *callees;    /* a callee of the chain matches one of these globs */
	const char *steps;      /* a step's text contains one of these */
	unsigned preds;         /* P_* that must hold */
	unsigned not_preds;     /* P_* that must not hold */
	int key;                /* reason of the step `why` points at, NO_KEY, KEY_ANY, KEY_HEAP */
	/*
	 * The why sentence.  Placeholders: {s} the subject, {s_addr} "the
	 * address of x" for moved variables, {fate} what the key step does
	 * with the value ("is returned"), {at} " at file:line" of the key
	 * step, {key} its expression, {then_last} ", which <fate>" of the last
	 * step when it is not the key step, {fate_last}/{at_last} the same for
	 * the last step, {callee}, {for_callee} " to be passed to CALLEE",
	 * {lhs} the left side of the key assignment, {dst} the leak's
	 * destination, {reason} the key step's reason, {loop} "the loop at
	 * score.go:12" (or "the loop around it" when locate found none).
	 */
	const char *why;
};

static const struct rule_match matches[] = {
	/* nothing is allocated: constants and zero-size values */
	{ .rule = "ER005", .prio = 100, .verdicts = V(ESCAPES), .subjects = SK(CONST),
	  .key = REASON_CALL_PARAM,
	  .why = "{s} is boxed into an interface{for_callee}{at}, but as a constant it needs no "
		 "allocation" },
	{ .rule = "ER005", .prio = 101, .verdicts = V(ESCAPES), .subjects = SK(ZERO),
	  .preds = P_ZERO_SIZE, .key = REASON_CALL_PARAM,
	  .why = "{s} is boxed into an interface{for_callee}{at}" }, /* add_when(): zero size */
	{ .rule = "ER005", .prio = 100, .verdicts = V(ESCAPES), .subjects = SK(ZERO),
	  .key = REASON_CALL_PARAM,
	  .why = "{s} is boxed into an interface{for_callee}{at}, but as a zero value it needs "
		 "no allocation with Go 1.25 and newer, which box it from read-only data (up to "
		 "1 KiB; Go 1.24 and older allocate it unless it has zero size)" },
	{ .rule = "ER005", .prio = 100, .verdicts = V(ESCAPES), .subjects = SK(STATIC),
	  .key = REASON_CALL_PARAM,
	  .why = "{s} is boxed into an interface{for_callee}{at}, but as a literal of constants "
		 "it needs no allocation with Go 1.25 and newer, which box it from read-only data "
		 "(Go 1.24 and older allocate it)" },
	{ .rule = "ER005", .prio = 100, .verdicts = V(ESCAPES), .subjects = SK(EMPTY),
	  .key = NO_KEY,
	  .why = "{s} is an empty slice literal that {fate}{at}: with no elements it has no "
		 "backing array to allocate" },
	{ .rule = "ER005", .prio = 100, .verdicts = V_ALLOC, .all = R(ZERO_SIZED),
	  .key = REASON_ZERO_SIZED,
	  .why = "{s} has elements of zero size: the heap allocation{at} is the runtime's shared "
		 "zero-size base and allocates nothing" },

	/* package initialisation runs once (the sentence ends with when) */
	{ .rule = "ER039", .prio = 99, .verdicts = V_ALLOC, .preds = P_PACKAGE_VAR, .key = NO_KEY,
	  .why = "{s_addr} {fate}{at}" },

	/* statements read from the source line */
	{ .rule = "ER025", .prio = 96, .verdicts = V(ESCAPES), .subjects = SK(FUNCLIT),
	  .preds = P_LINE_DEFER, .key = NO_KEY,
	  .why = "the deferred closure{at} is heap-allocated on every iteration of {loop}" },
	{ .rule = "ER024", .prio = 95, .verdicts = V(ESCAPES), .subjects = SK(FUNCLIT),
	  .preds = P_LINE_GO, .key = NO_KEY,
	  .why = "the closure started as a goroutine{at} outlives the go statement" },
	{ .rule = "ER017", .prio = 95, .verdicts = V(MOVED), .all = R(ADDRESS_OF),
	  .preds = P_LOOPVAR, .key = NO_KEY,
	  .why = "the address of loop variable {s} {fate}{at}, so it outlives the iteration" },

	/* the compiler's own limits and directives */
	{ .rule = "ER021", .prio = 92, .all = R(UINTPTRESCAPES), .key = REASON_UINTPTRESCAPES,
	  .why = "{s} is kept alive by a //go:uintptrescapes call{at}" },
	{ .rule = "ER028", .prio = 91, .any = R(TOO_LARGE), .key = REASON_TOO_LARGE,
	  .why = "{s} is too large for the stack{at}" },
	{ .rule = "ER027", .prio = 90, .any = R(NON_CONST_SIZE), .key = REASON_NON_CONST_SIZE,
	  .why = "{s} has a size that is not a compile-time constant{at}" },

	/* append's backing array (Go 1.25+): whatever the slice is then given to
	 * (fmt, a channel, another append), what allocates is the append */
	{ .rule = "ER029", .prio = 86, .verdicts = V(ESCAPES), .subjects = SK(APPEND),
	  .key = NO_KEY,
	  .why = "the backing array that append allocates is on the heap because the slice "
		 "{fate}{at}" },

	/* APIs that take `any` */
	{ .rule = "ER006", .prio = 82, .verdicts = V(ESCAPES), .subjects = SK_VALUES | SK(SLICELIT),
	  .all = R(CALL_PARAM), .callees = "(*sync.Pool).Put|*.Put",
	  .why = "{s} is boxed into an interface to be passed to {callee}{at}" },
	{ .rule = "ER008", .prio = 81, .verdicts = V(ESCAPES), .all = R(CALL_PARAM),
	  .callees = "context.WithValue",
	  .why = "{s} is boxed into an interface to be stored by {callee}{at}" },
	{ .rule = "ER004", .prio = 80, .verdicts = V(ESCAPES), .all = R(CALL_PARAM),
	  .callees = "panic",
	  .why = "{s} is boxed into an interface to be passed to panic{at}" },
	{ .rule = "ER007", .prio = 79, .verdicts = V_ALLOC, .all = R(CALL_PARAM),
	  .callees = "sort.Slice*|sort.Search*|reflect.*|json.*|xml.*|gob.*|binary.*|(*json.*|"
		     "(*xml.*|(*gob.*|atomic.Value*|(*atomic.Value).*|(*reflect.*",
	  .why = "{s_addr} is boxed into an interface to be passed to {callee}{at}" },
	{ .rule = "ER007", .prio = 78, .verdicts = V_ALLOC, .steps = "reflect.|(*reflect.",
	  .key = NO_KEY,
	  .why = "{s} is converted to an interface and kept by reflect{at}" },
	{ .rule = "ER001", .prio = 75, .verdicts = V(ESCAPES), .all = R(CALL_PARAM),
	  .callees = "fmt.*|log.*|errors.*|(*log.Logger).*|(*testing.common).*|"
		     "(*fmt.pp).*|(*strings.Builder).*|(*bytes.Buffer).*",
	  .none = R(ADDRESS_OF),
	  .why = "{s} is boxed into an interface to be passed to {callee}{at}" },
	{ .rule = "ER009", .prio = 70, .verdicts = V(ESCAPES), .subjects = SK(DOTS),
	  .why = "the ... argument slice {fate}{at}, so its elements are boxed on the heap" },
	{ .rule = "ER009", .prio = 69, .verdicts = V(ESCAPES), .all = R(SLICE_LIT_ELEM),
	  .dsts = DST_DOTS_ARG, .subjects = SK_VALUES | SK(STRCONV) | SK(CONCAT),
	  .key = REASON_SLICE_LIT_ELEM,
	  .why = "{s} is boxed into a ... argument slice that escapes{at}" },

	/* the address of a local */
	{ .rule = "ER033", .prio = 65, .verdicts = V(MOVED),
	  .all = R(ADDRESS_OF) | R(INTERFACE_CONVERTED) | R(CALL_PARAM), .key = REASON_CALL_PARAM,
	  .why = "the address of {s} is converted to an interface and {fate}{at}" },
	{ .rule = "ER014", .prio = 62, .verdicts = V_ALLOC, .all = R(SEND), .key = REASON_SEND,
	  .why = "{s_addr} is sent on a channel{at}" },
	{ .rule = "ER015", .prio = 62, .verdicts = V_ALLOC, .all = R(MAP_KEY_PUT),
	  .key = REASON_MAP_KEY_PUT,
	  .why = "{s_addr} is used as a map key{at}" },
	{ .rule = "ER023", .prio = 60, .verdicts = V(MOVED),
	  .all = R(CLOSURE_CAPTURE) | R(REFERENCE), .preds = P_BIG_DECL,
	  .key = REASON_CLOSURE_CAPTURE,
	  .why = "{s} is larger than 128 bytes, so the escaping closure{at} captures it by "
		 "reference" },
	{ .rule = "ER022", .prio = 58, .verdicts = V(MOVED),
	  .all = R(CLOSURE_CAPTURE) | R(REFERENCE), .key = REASON_CLOSURE_CAPTURE,
	  .why = "{s} is captured by reference by a closure that escapes{at}" },
	{ .rule = "ER022", .prio = 57, .verdicts = V(MOVED),
	  .all = R(ADDRESS_OF) | R(CLOSURE_CAPTURE), .key = REASON_CLOSURE_CAPTURE,
	  .why = "the address of {s} is captured by a closure that escapes{at}" },
	{ .rule = "ER030", .prio = 57, .verdicts = V_ALLOC,
	  .any = R(APPENDEE) | R(APPENDED) | R(COPIED),
	  .key = NO_KEY,
	  .why = "{s_addr} is stored into a slice by append or copy and {fate}{at}" },
	{ .rule = "ER030", .prio = 56, .verdicts = V_ALLOC, .all = R(CALL_PARAM),
	  .callees = "append|copy",
	  .why = "{s_addr} is appended to a slice that escapes{at}" },
	{ .rule = "ER016", .prio = 55, .verdicts = V(MOVED), .all = R(ADDRESS_OF) | R(SLICE),
	  .key = REASON_SLICE,
	  .why = "the array {s} is sliced and the slice {fate_last}{at_last}" },
	{ .rule = "ER013", .prio = 52, .verdicts = V(MOVED), .all = R(ADDRESS_OF),
	  .any = R(STRUCT_LIT_ELEM) | R(MAP_LIT_VALUE) | R(MAP_LIT_KEY) | R(SLICE_LIT_ELEM) |
		 R(ARRAY_LIT_ELEM),
	  .key = KEY_ANY, .none = R(CALL_PARAM),
	  .why = "the address of {s} is stored in {key}{at}{then_last}" },
	{ .rule = "ER013", .prio = 51, .verdicts = V(MOVED), .all = R(ADDRESS_OF) | R(ASSIGN),
	  .preds = P_KEY_LHS_INDIRECT, .key = REASON_ASSIGN,
	  .why = "the address of {s} is stored in {lhs}{at}" },
	{ .rule = "ER012", .prio = 50, .verdicts = V(MOVED), .all = R(ADDRESS_OF) | R(ASSIGN),
	  .dsts = DST_HEAP, .preds = P_KEY_LHS_IDENT, .key = REASON_ASSIGN,
	  .why = "the address of {s} is stored in {lhs}{at}" },
	{ .rule = "ER040", .prio = 48, .verdicts = V(MOVED), .all = R(ADDRESS_OF),
	  .any = R_ASSIGNS, .dsts = DST_NAMED, .dsts_none = DST_HEAP | DST_RESULT,
	  .key = KEY_ANY,
	  .why = "the address of {s} is stored in {lhs}{at}, a variable that escapes in turn" },
	{ .rule = "ER010", .prio = 49, .verdicts = V(MOVED), .all = R(ADDRESS_OF) | R(RETURN),
	  .none = R(CALL_PARAM), .key = REASON_RETURN,
	  .why = "the address of {s} is returned{at}" },

	/* what the value is */
	{ .rule = "ER024", .prio = 59, .verdicts = V(ESCAPES), .subjects = SK(FUNCLIT),
	  .all = R(CALL_PARAM), .callees = "*.Go|*errgroup*", .key = REASON_CALL_PARAM,
	  .why = "the closure passed to {callee}{at} runs as a goroutine and outlives the call" },
	{ .rule = "ER037", .prio = 58, .verdicts = V(ESCAPES), .subjects = SK(FUNCLIT),
	  .key = NO_KEY,
	  .why = "the closure {fate}{at}" },
	{ .rule = "ER026", .prio = 46, .verdicts = V(ESCAPES), .subjects = SK(NAME),
	  .preds = P_METHOD_VALUE, .key = NO_KEY,
	  .why = "the method value {s} {fate}{at}" },
	{ .rule = "ER031", .prio = 45, .verdicts = V(ESCAPES), .subjects = SK(STRCONV) | SK(CONCAT),
	  .key = NO_KEY,
	  .why = "the new string data of {s} {fate}{at}" },
	{ .rule = "ER011", .prio = 45, .verdicts = V(ESCAPES), .subjects = SK(ADDR) | SK(NEW),
	  .key = NO_KEY,
	  .why = "{s} is allocated on the heap because it {fate}{at}" },
	{ .rule = "ER029", .prio = 45, .verdicts = V(ESCAPES),
	  .subjects = SK(SLICELIT) | SK(MAPLIT) | SK(MAKE), .key = NO_KEY,
	  .why = "the backing store of {s} is allocated on the heap because it {fate}{at}" },
	/* below the APIs above: fmt.Println(v) in generic code is ER001 */
	{ .rule = "ER034", .prio = 45, .verdicts = V(ESCAPES), .subjects = SK_VALUES | SK(IFACE),
	  .preds = P_GENERIC, .key = NO_KEY,
	  .why = "{s} is boxed into an interface in generic code (a type-parameter value, "
		 "compiled once per GC shape) and {fate}{at}" },
	{ .rule = "ER038", .prio = 44, .verdicts = V(ESCAPES), .subjects = SK(IFACE),
	  .key = NO_KEY,
	  .why = "{s} boxes its operand, and the interface {fate}{at}" },

	/* calls the compiler cannot see through */
	{ .rule = "ER019", .prio = 42, .verdicts = V_ALLOC, .all = R(CALL_PARAM),
	  .callees = "f|fn|cb|callback|handler|h|g|next|visit|visitor|yield|do|apply|hook|"
		     "*Func|*Fn|*Callback|*Handler|*Hook|*.fn|*.f|*.cb|*.callback|*.handler|*.hook",
	  .why = "{s_addr} is passed to the func value {callee}{at}, whose body the compiler "
		 "cannot see" },
	{ .rule = "ER020", .prio = 41, .verdicts = V_ALLOC, .all = R(CALL_PARAM),
	  .preds = P_CALLEE_DYNAMIC,
	  .why = "{s_addr} is passed to the interface method call {callee}{at}, which the "
		 "compiler cannot see" },
	{ .rule = "ER018", .prio = 40, .verdicts = V(MOVED), .all = R(CALL_PARAM),
	  .why = "the address of {s} is passed to {callee}{at}, which keeps it" },
	{ .rule = "ER018", .prio = 39, .verdicts = V(ESCAPES), .all = R(CALL_PARAM),
	  .subjects = SK(ADDR) | SK(NAME) | SK(CALL),
	  .any = R(ADDRESS_OF),
	  .why = "{s} is passed to {callee}{at}, which keeps it" },

	/* boxing into an interface */
	{ .rule = "ER003", .prio = 32, .verdicts = V(ESCAPES), .subjects = SK_VALUES,
	  .all = R(RETURN), .none = R(ADDRESS_OF) | R(CALL_PARAM), .key = REASON_RETURN,
	  .why = "{s} is boxed into an interface to be returned{at}" },
	{ .rule = "ER002", .prio = 31, .verdicts = V(ESCAPES), .subjects = SK_VALUES,
	  .any = R_ASSIGNS | R(INTERFACE_CONVERTED) | R(MAP_LIT_VALUE) | R(MAP_LIT_KEY) |
		 R(STRUCT_LIT_ELEM) | R(SLICE_LIT_ELEM) | R(ARRAY_LIT_ELEM) | R(MAP_KEY_PUT),
	  .none = R(ADDRESS_OF), .key = NO_KEY,
	  .why = "{s} is boxed into an interface that {fate}{at}" },
	{ .rule = "ER002", .prio = 30, .verdicts = V(ESCAPES), .subjects = SK_VALUES,
	  .all = R(CALL_PARAM), .none = R(ADDRESS_OF),
	  .why = "{s} is boxed into an interface to be passed to {callee}{at}" },

	/* leaking parameters: summaries of the function's contract */
	{ .rule = "ER032", .prio = 23, .verdicts = V(LEAK_CONTENT),
	  .any = R(RANGE) | R(RANGE_DEREF) | R(SWITCH_CASE) | R(INDIRECTION) | R(DOT_PTR) |
		 R(APPENDEE) | R(APPENDED) | R(COPIED),
	  .key = KEY_ANY,
	  .why = "what parameter {s} points to {fate}{at} and leaks to {dst}" },
	{ .rule = "ER032", .prio = 22, .verdicts = V(LEAK_CONTENT), .key = NO_KEY,
	  .why = "what parameter {s} points to leaks to {dst} because it {fate}{at}" },
	/* the parameter itself leaks: a dereference on its way to the heap is
	 * undone (&p.f) or on another path (to a result); ER035 tells it */
	{ .rule = "ER032", .prio = 21, .verdicts = V(LEAK_PARAM),
	  .any = R(RANGE) | R(SWITCH_CASE),
	  .not_preds = P_RESULT_LEAK, .key = KEY_HEAP,
	  .why = "parameter {s} {fate}{at} and leaks to {dst}" },
	{ .rule = "ER036", .prio = 15, .verdicts = V(LEAK_PARAM), .preds = P_RESULT_LEAK,
	  .key = REASON_RETURN,
	  .why = "parameter {s} flows to {dst}{at}, so callers' arguments live as long as the "
		 "result" },
	{ .rule = "ER035", .prio = 10, .verdicts = V(LEAK_PARAM), .key = KEY_HEAP,
	  .why = "parameter {s} leaks to {dst} because it {fate}{at}, so callers' arguments "
		 "escape" },
};

#define MATCHES_NR ARRAY_SIZE(matches)

/* ------------------------------------------------------------------ */
/* Classifying                                                          */
/* ------------------------------------------------------------------ */

/* Everything a match and the why sentence look at, computed once. */
struct ctx {
	const struct finding *f;
	const char *line;          /* source line, "" when unknown */
	enum subject_kind kind;
	unsigned preds;            /* P_* that do not depend on the match */
};

/* The left side of an assignment "x.f = y" (up to the first = or := at depth 0). */
static int lhs_of(const char *expr, size_t n, const char **lhs, size_t *lhs_len)
{
	struct golex lx;
	struct gotoken t;
	size_t end = 0;
	int depth = 0;

	golex_init(&lx, expr, n, GOLEX_CODE);
	while (golex_next(&lx, &t) != GOTOK_EOF) {
		char c = op1(&lx, &t);

		if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if ((c == ')' || c == ']' || c == '}') && depth) {
			depth--;
		} else if (!depth && end && (c == '=' || gotok_is(&lx, &t, ":="))) {
			*lhs = expr;
			*lhs_len = end;
			return 1;
		}
		if (t.kind != GOTOK_COMMENT && t.kind != GOTOK_BLOCK)
			end = t.off + t.len;
	}
	return 0;
}

/*
 * The step a sentence points at: the last `call parameter` step whose
 * callee matches `callees` (when given), else the last step with reason
 * `key`, else the last `from` step.  NULL when the chain is empty.
 */
/* A hop "flow: DST ← SRC" (Go 1.19: "flow: DST = SRC"): its two sides. */
static int hop_split(const char *text, const char **dst, size_t *dst_len, const char **src)
{
	const char *rest, *sep;

	if (!skip_prefix(text, "flow: ", &rest))
		return 0;
	sep = strstr(rest, " \xe2\x86\x90 "); /* " ← " */
	if (sep) {
		*src = sep + 5;
	} else if ((sep = strstr(rest, " = "))) {
		*src = sep + 3;
	} else {
		return 0;
	}
	*dst = rest;
	*dst_len = (size_t)(sep - rest);
	return 1;
}

/*
 * The last step of the chain on a path into {heap} with one of the `any`
 * reasons (0: any step), or NULL.  The compiler explains a verdict with
 * paths of hops, each hop starting where the one before it ended ("flow:
 * x ← v", then "flow: {heap} ← x"); a hop from somewhere else starts
 * another path, which may end in a result or a literal's storage.
 */
static const struct flow_step *heap_path_step(const struct finding *f, uint64_t any)
{
	const struct flow_step *best = NULL, *cand = NULL;
	const char *dst = NULL, *src;
	size_t dst_len = 0, i;

	for (i = 0; i <= f->flow_nr; i++) {
		const char *d, *expr;
		size_t dl, n;
		enum flow_reason r;
		int hop = i < f->flow_nr && hop_split(f->flow[i].text, &d, &dl, &src);

		if (i == f->flow_nr || hop) {
			int goes_on = hop && dst;

			if (goes_on) { /* SRC is the last hop's DST, dereferenced or not */
				src += strspn(src, "*&");
				goes_on = !strncmp(src, dst, dst_len) && !src[dst_len];
			}
			if (!goes_on) { /* a path ends: in {heap}? */
				if (cand && dst && dst_len == 6 && !memcmp(dst, "{heap}", 6))
					best = cand;
				cand = NULL;
			}
			if (hop) {
				dst = d;
				dst_len = dl;
			}
			continue;
		}
		if (step_split(f->flow[i].text, &expr, &n, &r) && (!any || (any & (1ULL << r))))
			cand = &f->flow[i];
	}
	return best;
}

static const struct flow_step *key_step(const struct finding *f, int key, uint64_t any,
					const char *callees, const char **callee, size_t *callee_n)
{
	const struct flow_step *best = key == KEY_HEAP ? heap_path_step(f, any) : NULL, *last = NULL;
	size_t i;

	for (i = 0; i < f->flow_nr; i++) {
		const char *expr;
		size_t n;
		enum flow_reason r;

		if (!step_split(f->flow[i].text, &expr, &n, &r))
			continue;
		last = &f->flow[i];
		if (key == KEY_HEAP)
			continue;
		if (callees) {
			const char *inl = f->flow[i].inlined, *cand = NULL;
			size_t cl = 0;

			/* a call the compiler inlined here names the function the
			 * source calls; calls inside its body are not the user's */
			if (inl && glob_any(callees, inl, strlen(inl))) {
				cand = inl;
				cl = strlen(inl);
			} else if (r == REASON_CALL_PARAM) {
				cl = callee_len(expr, n);
				if (cl && glob_any(callees, expr, cl))
					cand = expr;
			}
			if (cand && (!best || !f->flow[i].outside || best->outside)) {
				best = &f->flow[i];
				*callee = cand;
				*callee_n = cl;
			}
		} else if ((key >= 0 && (int)r == key) ||
			   (key == KEY_ANY && (any & (1ULL << r)))) {
			best = &f->flow[i];
		}
	}
	return best ? best : last;
}

static const char *first_callee(const struct finding *f, const char *callees)
{
	size_t i;

	for (i = 0; i < f->facts.callees_nr; i++)
		if (!callees || glob_any(callees, f->facts.callees[i], strlen(f->facts.callees[i])))
			return f->facts.callees[i];
	return NULL;
}

static unsigned key_preds(const struct finding *f, int key)
{
	const char *c = NULL, *expr, *lhs;
	size_t cn = 0, n, lhs_len, i;
	enum flow_reason r;
	const struct flow_step *st = key_step(f, key, 0, NULL, &c, &cn);

	if (!st || !step_split(st->text, &expr, &n, &r) || (int)r != key)
		return 0;
	if (!lhs_of(expr, n, &lhs, &lhs_len))
		return 0;
	for (i = 0; i < lhs_len; i++)
		if (!is_ident_char(lhs[i]))
			return P_KEY_LHS_INDIRECT;
	return P_KEY_LHS_IDENT;
}

static int match_one(const struct ctx *c, const struct rule_match *m)
{
	const struct finding *f = c->f;
	unsigned preds = c->preds;

	if (m->verdicts && !(m->verdicts & (1u << f->verdict)))
		return 0;
	if ((f->facts.reasons & m->all) != m->all)
		return 0;
	if (m->any && !(f->facts.reasons & m->any))
		return 0;
	if (f->facts.reasons & m->none)
		return 0;
	if (m->dsts && !(f->facts.dsts & m->dsts))
		return 0;
	if (f->facts.dsts & m->dsts_none)
		return 0;
	if (m->subjects && !(m->subjects & (1u << c->kind)))
		return 0;
	if (m->callees && !first_callee(f, m->callees))
		return 0;
	if (m->steps) {
		size_t i;

		for (i = 0; i < f->flow_nr; i++)
			if (contains_any(m->steps, f->flow[i].text))
				break;
		if (i == f->flow_nr)
			return 0;
	}
	if (m->key == KEY_HEAP && m->any && !heap_path_step(f, m->any))
		return 0; /* the reasons are there, but not on the way to the heap */
	if ((m->preds | m->not_preds) & (P_KEY_LHS_IDENT | P_KEY_LHS_INDIRECT))
		preds |= key_preds(f, m->key);
	if ((preds & m->preds) != m->preds)
		return 0;
	if (preds & m->not_preds)
		return 0;
	return 1;
}

/*
 * Is the finding in code compiled from a generic function?  Go 1.19 prints
 * a type-parameter value it boxes as unsafe.Pointer(v) (a conversion the
 * source line does not have).  Newer compilers name the instantiation in
 * the header ("v escapes to heap in Box[go.shape.int]:", or Box[int] for
 * the wrapper of a concrete instantiation), convert to the shape type
 * where they inlined the generic function (go.shape.int(3)), and say
 * "inlining call to Box[go.shape.int]" at the call.
 */
static int in_generic_code(const struct finding *f, const char *line, enum subject_kind kind)
{
	size_t i;

	if (kind == SK_UNSAFE && !strstr(line, "unsafe.Pointer"))
		return 1;
	if (f->facts.func && strchr(f->facts.func, '['))
		return 1;
	if (f->subject && starts_with(f->subject, "go.shape."))
		return 1;
	for (i = 0; i < f->flow_nr; i++)
		if (f->flow[i].inlined && strchr(f->flow[i].inlined, '['))
			return 1;
	return 0;
}

static unsigned context_preds(const struct finding *f, const char *line,
			      enum golex_state state, enum subject_kind kind)
{
	struct gotokens tk = GOTOKENS_INIT;
	unsigned p = 0;
	size_t i;

	gotokens_lex(&tk, line, strlen(line), state);
	if (f->subject && line_declares_loopvar(&tk, f->subject))
		p |= P_LOOPVAR;
	if (statement_keyword(&tk, f->column, "defer"))
		p |= P_LINE_DEFER;
	if (statement_keyword(&tk, f->column, "go"))
		p |= P_LINE_GO;
	if (f->in_init)
		p |= P_PACKAGE_VAR;
	if (f->zero_size)
		p |= P_ZERO_SIZE;
	if (line_declares_big_array(&tk))
		p |= P_BIG_DECL;
	if (in_generic_code(f, line, kind))
		p |= P_GENERIC;
	/* pkg.Name of an import is a variable (binary.BigEndian), x.Name of a
	 * field a field (hdr.Name): not x.Method */
	if (kind == SK_NAME && f->subject && !f->sel_pkg && !f->sel_field &&
	    line_has_method_value(&tk, f->subject))
		p |= P_METHOD_VALUE;
	gotokens_release(&tk);
	for (i = 0; i < f->facts.callees_nr; i++)
		if (callee_is_dynamic(f->facts.callees[i]))
			p |= P_CALLEE_DYNAMIC;
	if ((f->message && strstr(f->message, " to result ")) ||
	    (f->facts.leak_dst && f->facts.leak_dst[0] == '~'))
		p |= P_RESULT_LEAK;
	return p;
}

/* ------------------------------------------------------------------ */
/* The why sentence                                                     */
/* ------------------------------------------------------------------ */

static void add_base_pos(struct strbuf *sb, const char *file, int line)
{
	const char *slash = file ? strrchr(file, '/') : NULL;

	strbuf_addf(sb, "%s:%d", slash ? slash + 1 : (file ? file : ""), line);
}

static void add_at(struct strbuf *sb, const struct finding *f, const struct flow_step *st)
{
	if (st && st->file && *st->file && st->line > 0) {
		strbuf_addstr(sb, " at ");
		add_base_pos(sb, st->file, st->line);
	} else if (f->file && f->line > 0) {
		strbuf_addstr(sb, " at ");
		add_base_pos(sb, f->file, f->line);
	}
}

/* Readable name of a flow destination: "{heap}" -> "the heap". */
static void add_dst(struct strbuf *sb, const char *d, size_t n)
{
	if (n == 6 && !memcmp(d, "{heap}", 6))
		strbuf_addstr(sb, "the heap");
	else if (n >= 2 && d[0] == '~' && d[1] == 'r')
		strbuf_addf(sb, "result %.*s", (int)n, d);
	else if (n > 14 && !memcmp(d, "{storage for ", 13) && d[n - 1] == '}')
		strbuf_addf(sb, "the storage of %.*s", (int)(n - 14), d + 13);
	else if (n > 9 && !memcmp(d, ".autotmp_", 9))
		strbuf_addf(sb, "the compiler's temporary %.*s", (int)n, d);
	else if (n)
		strbuf_add(sb, d, n);
	else
		strbuf_addstr(sb, "the heap");
}

/* The leak's destination, from the verdict ("to result ~r0") or the header. */
static void add_leak_dst(struct strbuf *sb, const struct finding *f)
{
	const char *m = f->message ? strstr(f->message, " to result ") : NULL;

	if (m) {
		const char *r = m + 11, *e = strchr(r, ' ');

		strbuf_addf(sb, "result %.*s", (int)(e ? (size_t)(e - r) : strlen(r)), r);
	} else if (f->facts.leak_dst) {
		add_dst(sb, f->facts.leak_dst, strlen(f->facts.leak_dst));
	} else {
		strbuf_addstr(sb, "the heap");
	}
}

/*
 * A function name as the source calls it: the shape instantiations newer
 * compilers print are left out, as locate leaves out type parameters
 * ("unique.Make[go.shape.string]" -> "unique.Make",
 * "(*L[go.shape.int]).Get" -> "(*L).Get").
 */
static void add_func_name(struct strbuf *sb, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (s[i] == '[' && n - i > 10 && !memcmp(s + i + 1, "go.shape.", 9)) {
			int depth = 0;

			for (; i < n; i++) {
				if (s[i] == '[')
					depth++;
				else if (s[i] == ']' && !--depth)
					break;
			}
			i++;
			continue;
		}
		strbuf_addch(sb, s[i++]);
	}
}

/* What the step does with the value, as a verb phrase: "is returned". */
static void add_fate(struct strbuf *sb, const struct flow_step *st)
{
	const char *expr, *lhs;
	size_t n, lhs_len, cl;
	enum flow_reason r;

	if (!st || !step_split(st->text, &expr, &n, &r)) {
		strbuf_addstr(sb, "flows to the heap");
		return;
	}
	switch (r) {
	case REASON_RETURN:
		strbuf_addstr(sb, "is returned");
		break;
	case REASON_ASSIGN: case REASON_ASSIGN_PAIR: case REASON_ASSIGN_PAIR_DOT_TYPE:
	case REASON_ASSIGN_PAIR_MAPR: case REASON_ASSIGN_PAIR_RECEIVE:
		if (lhs_of(expr, n, &lhs, &lhs_len))
			strbuf_addf(sb, "is stored in %.*s", (int)lhs_len, lhs);
		else
			strbuf_addstr(sb, "is assigned");
		break;
	case REASON_CALL_PARAM:
		cl = callee_len(expr, n);
		strbuf_addstr(sb, "is passed to ");
		add_func_name(sb, expr, cl ? cl : n);
		break;
	case REASON_SEND:
		strbuf_addstr(sb, "is sent on a channel");
		break;
	case REASON_MAP_KEY_PUT:
		strbuf_addstr(sb, "is used as a map key");
		break;
	case REASON_MAP_LIT_KEY: case REASON_MAP_LIT_VALUE:
		strbuf_addstr(sb, "is stored in a map literal");
		break;
	case REASON_STRUCT_LIT_ELEM:
		strbuf_addstr(sb, "is stored in a struct literal");
		break;
	case REASON_SLICE_LIT_ELEM: case REASON_ARRAY_LIT_ELEM:
		strbuf_addstr(sb, "is stored in a slice literal");
		break;
	case REASON_CLOSURE_CAPTURE: case REASON_REFERENCE:
		strbuf_addstr(sb, "is captured by a closure");
		break;
	case REASON_APPENDEE: case REASON_APPENDED:
		strbuf_addstr(sb, "is appended to a slice");
		break;
	case REASON_COPIED:
		strbuf_addstr(sb, "is copied into a slice");
		break;
	case REASON_INTERFACE_CONVERTED:
		strbuf_addstr(sb, "is converted to an interface");
		break;
	case REASON_RANGE: case REASON_RANGE_DEREF:
		strbuf_addstr(sb, "is ranged over");
		break;
	case REASON_SWITCH_CASE:
		strbuf_addstr(sb, "is bound in a type switch");
		break;
	case REASON_INDIRECTION: case REASON_DOT_PTR:
		strbuf_addstr(sb, "is dereferenced");
		break;
	case REASON_TOO_LARGE:
		strbuf_addstr(sb, "is too large for the stack");
		break;
	case REASON_NON_CONST_SIZE:
		strbuf_addstr(sb, "has a non-constant size");
		break;
	default:
		strbuf_addf(sb, "flows to the heap (%s)", reason_name(r));
		break;
	}
}

/*
 * The subject as a sentence names it; `moved`: its address is what goes on
 * ("the address of x").  A compiler temporary (".autotmp_3": Go 1.26 makes
 * one for new(expr) and for comma-ok forms) is said to be one, and named
 * by the call that made it when its position is the parenthesis of a call
 * of new: "the compiler's temporary .autotmp_3 (made by new(x + 1))"
 * ("new(...)" past 60 bytes).
 */
static void add_subject(struct strbuf *sb, const struct finding *f, int moved)
{
	const char *s = f->subject && *f->subject ? f->subject : "the value";
	struct gotokens tk = GOTOKENS_INIT;
	size_t i;

	if (!starts_with(s, ".autotmp_")) {
		strbuf_addstr(sb, moved ? "the address of " : "");
		strbuf_addstr(sb, s);
		return;
	}
	if (f->source)
		gotokens_lex(&tk, f->source, strlen(f->source), (enum golex_state)f->source_state);
	for (i = 1; i < tk.nr; i++) {
		size_t close;

		if (tk.t[i].col != f->column || !gotokens_is(&tk, i, "(") ||
		    !gotokens_is(&tk, i - 1, "new") || (i >= 2 && gotokens_is(&tk, i - 2, ".")))
			continue;
		close = gotokens_match(&tk, i, tk.nr);
		strbuf_addf(sb, "%sthe compiler's temporary %s (made by ", moved ? "the address of " : "", s);
		if (close < tk.nr && tk.t[close].off + 1 - tk.t[i - 1].off <= 60)
			strbuf_add(sb, f->source + tk.t[i - 1].off, tk.t[close].off + 1 - tk.t[i - 1].off);
		else
			strbuf_addstr(sb, "new(...)");
		strbuf_addch(sb, ')');
		gotokens_release(&tk);
		return;
	}
	gotokens_release(&tk);
	strbuf_addf(sb, "%sthe compiler's temporary %s", moved ? "the address of " : "", s);
}

static void build_why(struct strbuf *sb, const struct finding *f, const struct rule_match *m)
{
	const char *callee = NULL, *p = m->why;
	size_t callee_n = 0;
	const struct flow_step *st = key_step(f, m->key, m->any, m->callees, &callee, &callee_n);
	const char *ignored = NULL;
	size_t ignored_n = 0;
	const struct flow_step *last = key_step(f, NO_KEY, 0, NULL, &ignored, &ignored_n);

	if (!callee && m->key == REASON_CALL_PARAM && st) {
		const char *expr;
		size_t n;
		enum flow_reason r;

		if (step_split(st->text, &expr, &n, &r) && r == REASON_CALL_PARAM) {
			callee = expr;
			callee_n = callee_len(expr, n);
		}
	}
	if (!callee || !callee_n) {
		const char *c = first_callee(f, m->callees);

		if (c) {
			callee = c;
			callee_n = strlen(c);
		}
	}
	while (*p) {
		const char *open = strchr(p, '{'), *close;
		size_t name_len;

		if (!open) {
			strbuf_addstr(sb, p);
			break;
		}
		strbuf_add(sb, p, (size_t)(open - p));
		close = strchr(open, '}');
		if (!close)
			die("checklist: bad why template for %s", m->rule);
		name_len = (size_t)(close - open - 1);
#define IS(lit) (name_len == sizeof(lit) - 1 && !memcmp(open + 1, lit, name_len))
		if (IS("s")) {
			add_subject(sb, f, 0);
		} else if (IS("s_addr")) {
			add_subject(sb, f, f->verdict == VERDICT_MOVED);
		} else if (IS("fate")) {
			add_fate(sb, st);
		} else if (IS("then_last")) {
			if (last && last != st) {
				strbuf_addstr(sb, ", which ");
				add_fate(sb, last);
			}
		} else if (IS("key")) {
			const char *expr;
			size_t n;
			enum flow_reason r;

			if (st && step_split(st->text, &expr, &n, &r))
				strbuf_add(sb, expr, n);
			else
				strbuf_addstr(sb, "a value that escapes");
		} else if (IS("fate_last")) {
			add_fate(sb, last);
		} else if (IS("at")) {
			add_at(sb, f, st);
		} else if (IS("at_last")) {
			add_at(sb, f, last);
		} else if (IS("callee")) {
			if (callee && callee_n)
				add_func_name(sb, callee, callee_n);
			else
				strbuf_addstr(sb, "a callee");
		} else if (IS("for_callee")) {
			if (callee && callee_n) {
				strbuf_addstr(sb, " to be passed to ");
				add_func_name(sb, callee, callee_n);
			}
		} else if (IS("lhs")) {
			const char *expr, *lhs;
			size_t n, lhs_len;
			enum flow_reason r;

			if (st && step_split(st->text, &expr, &n, &r) &&
			    lhs_of(expr, n, &lhs, &lhs_len))
				strbuf_add(sb, lhs, lhs_len);
			else
				strbuf_addstr(sb, "a location that outlives the call");
		} else if (IS("dst")) {
			add_leak_dst(sb, f);
		} else if (IS("loop")) {
			if (f->in_loop && f->loop_line > 0) {
				strbuf_addstr(sb, "the loop at ");
				add_base_pos(sb, f->file, f->loop_line);
			} else {
				strbuf_addstr(sb, "the loop around it");
			}
		} else if (IS("reason")) {
			const char *expr;
			size_t n;
			enum flow_reason r;

			if (st && step_split(st->text, &expr, &n, &r))
				strbuf_addstr(sb, reason_name(r));
			else
				strbuf_addstr(sb, "its uses");
		} else {
			die("checklist: unknown placeholder {%.*s} in %s", (int)name_len, open + 1,
			    m->rule);
		}
#undef IS
		p = close + 1;
	}
}

/* The generic sentence: what the last step of the chain does. */
static void build_generic_why(struct strbuf *sb, const struct finding *f)
{
	const char *c = NULL;
	size_t cn = 0;
	const struct flow_step *last = key_step(f, NO_KEY, 0, NULL, &c, &cn);
	const char *subject = f->subject && *f->subject ? f->subject : "the value";

	switch (f->verdict) {
	case VERDICT_MOVED: case VERDICT_ESCAPES:
		add_subject(sb, f, f->verdict == VERDICT_MOVED);
		strbuf_addch(sb, ' ');
		break;
	case VERDICT_LEAK_PARAM: case VERDICT_LEAK_CONTENT:
		strbuf_addf(sb, "parameter %s leaks to ", subject);
		add_leak_dst(sb, f);
		strbuf_addstr(sb, " and ");
		break;
	}
	if (last)
		add_fate(sb, last);
	else
		strbuf_addstr(sb, "flows to the heap");
	add_at(sb, f, last);
}

/*
 * How often it happens, after the sentence: nothing at all for a
 * zero-size value (returns 1: the finding is informational whatever its
 * rule), once at package initialisation, or once per iteration of the
 * loop around it.  Rules that allocate nothing (ER005), only when
 * panicking (ER004), or that say so already (ER025), and the leak
 * summaries, which allocate nothing themselves, get no clause.
 */
static int add_when(struct strbuf *sb, const struct finding *f, const struct rule *rule,
		    enum subject_kind kind)
{
	int alloc = f->verdict == VERDICT_MOVED || f->verdict == VERDICT_ESCAPES;

	if (f->zero_size && (f->verdict == VERDICT_MOVED || kind == SK_ADDR || kind == SK_NEW ||
			     kind == SK_ZERO)) {
		strbuf_addf(sb, "; %s has zero size, so nothing is actually allocated", f->zero_size);
		return 1;
	}
	if (!alloc || !strcmp(rule->id, "ER005") || !strcmp(rule->id, "ER004"))
		return 0;
	if (f->in_init) {
		if (f->in_loop && f->loop_line > 0) {
			strbuf_addstr(sb, ", once per iteration of the loop at ");
			add_base_pos(sb, f->file, f->loop_line);
			strbuf_addstr(sb, ", only when the package is initialised");
		} else {
			strbuf_addstr(sb, ", once, when the package is initialised");
		}
	} else if (f->in_loop && f->loop_line > 0 && strcmp(rule->id, "ER025")) {
		strbuf_addstr(sb, ", once per iteration of the loop at ");
		add_base_pos(sb, f->file, f->loop_line);
	}
	return 0;
}

int checklist_for_other_go(const struct finding *f, int go_minor)
{
	return f->go_dependent && go_minor && (go_minor < CHECKLIST_GO_STATIC_BOX) != f->go_old;
}

void checklist_classify_finding(struct finding *f, const char *source_line, int go_minor)
{
	struct ctx c;
	const struct rule_match *best = NULL;
	const struct rule *rule;
	struct strbuf why = STRBUF_INIT;
	int old = go_minor && go_minor < CHECKLIST_GO_STATIC_BOX, dependent;
	size_t i;

	c.f = f;
	c.line = source_line ? source_line : "";
	c.kind = literal_kind(subject_kind(f->subject), f, c.line, old, &dependent);
	f->go_dependent = (unsigned)dependent;
	f->go_old = (unsigned)(dependent && old);
	c.preds = context_preds(f, c.line,
				source_line && source_line == f->source ? f->source_state : GOLEX_CODE,
				c.kind);
	for (i = 0; i < MATCHES_NR; i++)
		if ((!best || matches[i].prio > best->prio) && match_one(&c, &matches[i]))
			best = &matches[i];

	rule = checklist_find(best ? best->rule : CHECKLIST_GENERIC_RULE);
	if (!rule)
		die("checklist: match table names unknown rule %s", best->rule);
	f->rule = rule->id;
	f->severity = rule->severity;
	if (best)
		build_why(&why, f, best);
	else
		build_generic_why(&why, f);
	f->allocates_nothing = !!add_when(&why, f, rule, c.kind);
	free(f->why);
	f->why = xstrndup(why.buf, why.len); /* no room to spare: it lives as long as the finding */
	strbuf_release(&why);
}

int checklist_apply_policy(struct finding *f, const struct checklist_policy *policy)
{
	const struct rule *rule = f->rule ? checklist_find(f->rule) : NULL;
	const struct rule_override *o;

	if (!rule)
		return 0;
	f->severity = rule->severity;
	o = policy_get(policy, rule->id);
	if (o && o->disabled)
		return 1;
	if (o && o->severity >= SEVERITY_INFO && o->severity <= SEVERITY_ERROR)
		f->severity = (enum severity)o->severity;
	if (f->allocates_nothing)
		f->severity = SEVERITY_INFO;
	return 0;
}

int checklist_policy_drops(const struct checklist_policy *policy)
{
	size_t i;

	for (i = 0; policy && i < policy->nr; i++)
		if (policy->items[i].disabled)
			return 1;
	return 0;
}

int checklist_classify(struct finding *f, const char *source_line,
		       const struct checklist_policy *policy, int go_minor)
{
	checklist_classify_finding(f, source_line, go_minor);
	return checklist_apply_policy(f, policy);
}

/* ------------------------------------------------------------------ */
/* Documentation                                                        */
/* ------------------------------------------------------------------ */

void checklist_write_markdown(struct strbuf *out)
{
	size_t i;

	strbuf_addstr(out,
		"# Escape checklist\n\n"
		"<!-- Generated by `escape-review rules --format markdown` from the catalog in\n"
		"     src/checklist.c. Do not edit by hand: tests/e2e/t30-rules.sh checks that this\n"
		"     file matches the catalog. -->\n\n"
		"Each finding of escape-review is one escape-positive diagnostic of the Go compiler\n"
		"(`go build -gcflags=-m=2`: `moved to heap`, `escapes to heap`, `leaking param`),\n"
		"classified into the most specific rule below from the reasons, destinations and\n"
		"callees of its whole explanation chain and, where needed, its source line.\n\n"
		"Severities: `error` is almost always a mistake in reviewed code, `warning` is an\n"
		"allocation worth a look, `info` allocates nothing here (a constant boxed, or a\n"
		"`leaking param` summary whose allocation happens at the callers).\n\n"
		"Not visible in `-m` output at all, so never reported: map growth, append growth of\n"
		"a slice that does not escape (before Go 1.25, of any slice), allocations inside\n"
		"non-inlined callees, and non-escaping conversions over 32 bytes.\n\n"
		"The rules hold for Go 1.19 to 1.26 (the compilers the tests run); a rule that only\n"
		"some compilers can report says so in a **Compilers** line.\n\n"
		"| Rule | Title | Severity |\n|------|-------|----------|\n");
	for (i = 0; i < RULES_NR; i++)
		strbuf_addf(out, "| [%s](#%s) | %s | %s |\n", rules[i].id, rules[i].anchor,
			    rules[i].title, severity_name(rules[i].severity));
	for (i = 0; i < RULES_NR; i++) {
		const struct rule *r = &rules[i];

		strbuf_addf(out, "\n<a id=\"%s\"></a>\n## %s: %s\n\n", r->anchor, r->id, r->title);
		strbuf_addf(out, "Default severity: **%s**\n\n", severity_name(r->severity));
		if (r->compilers)
			strbuf_addf(out, "**Compilers:** %s\n\n", r->compilers);
		strbuf_addf(out, "%s\n\n**Fix:** %s\n\n", r->explanation, r->fix);
		strbuf_addf(out, "Triggers it:\n\n```go\n%s\n```\n\n", r->bad);
		strbuf_addf(out, "Fixed:\n\n```go\n%s\n```\n", r->good);
	}
}
