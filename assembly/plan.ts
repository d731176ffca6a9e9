// The plan: one block of i32 words in linear memory that describes a model
// laid out in its arena, written once by src/plan.ts (same word numbers).
//
//   word  0 L            1 B (rows capacity)   2 lossId     3 reduction
//         4 optimId      5 t (steps taken)     6 nParams    7 params ptr
//         8 grads ptr    9 state ptr          10 x ptr     11 target ptr
//        12 dA0 ptr     13 dA1 ptr            14 wt ptr    15 hp ptr (f64[8])
//        16 lossP0 f32  17 lossP1 f32         18 errorKind 19 errors (out)
//        20 training    21 C (output width)   22 status (out)  23 backup ptr
//        24..27 rng state (xoshiro128**)
//   word 32 + 16*l, layer l:
//         0 nIn  1 nOut  2 actId  3 actP0 f32  4 actP1 f32  5 w  6 bias  7 dW
//         8 dBias  9 y (B, nOut)  10 a (B, nOut; == y for identity)  11 slope
//        12 dSlope  13 nSlope  14 noise (rrelu, B*nOut)  15 dYSave (0 = none)
//
// params, grads and each state vector share one layout: for each layer,
// w (nOut*nIn) then bias (nOut) then, for prelu, slope (nSlope).

export const P_L = 0, P_B = 1, P_LOSS = 2, P_REDUCTION = 3, P_OPTIM = 4, P_T = 5;
export const P_NPARAMS = 6, P_PARAMS = 7, P_GRADS = 8, P_STATE = 9, P_X = 10, P_TARGET = 11;
export const P_DA0 = 12, P_DA1 = 13, P_WT = 14, P_HP = 15, P_LOSS_P0 = 16, P_LOSS_P1 = 17;
export const P_ERROR_KIND = 18, P_ERRORS = 19, P_TRAINING = 20, P_C = 21, P_RNG = 24;
export const P_STATUS = 22, P_BACKUP = 23;
// status after trainStep: 0 ok, 1 loss not finite (no update), 2 the update
// made a parameter non-finite (parameters restored from backup)
export const STATUS_OK = 0, STATUS_BAD_LOSS = 1, STATUS_BAD_UPDATE = 2;
export const P_LAYERS = 32, LAYER_WORDS = 16;
export const L_NIN = 0, L_NOUT = 1, L_ACT = 2, L_P0 = 3, L_P1 = 4, L_W = 5, L_BIAS = 6;
export const L_DW = 7, L_DBIAS = 8, L_Y = 9, L_A = 10, L_SLOPE = 11, L_DSLOPE = 12;
export const L_NSLOPE = 13, L_NOISE = 14, L_DYSAVE = 15;

// @ts-ignore: decorator
@inline export function word(plan: usize, k: i32): i32 { return load<i32>(plan + (<usize>k << 2)); }
// @ts-ignore: decorator
@inline export function wordF(plan: usize, k: i32): f32 { return load<f32>(plan + (<usize>k << 2)); }
// @ts-ignore: decorator
@inline export function ptr(plan: usize, k: i32): usize { return <usize>load<u32>(plan + (<usize>k << 2)); }
// @ts-ignore: decorator
@inline export function layerBase(l: i32): i32 { return P_LAYERS + l * LAYER_WORDS; }
