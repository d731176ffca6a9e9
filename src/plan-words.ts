// Word numbers of the plan block, the same as assembly/plan.ts (see the
// diagram there). Plan words are i32 unless marked f32 in that diagram.
export const P_L = 0, P_B = 1, P_LOSS = 2, P_REDUCTION = 3, P_OPTIM = 4, P_T = 5;
export const P_NPARAMS = 6, P_PARAMS = 7, P_GRADS = 8, P_STATE = 9, P_X = 10, P_TARGET = 11;
export const P_DA0 = 12, P_DA1 = 13, P_WT = 14, P_HP = 15, P_LOSS_P0 = 16, P_LOSS_P1 = 17;
export const P_ERROR_KIND = 18, P_ERRORS = 19, P_TRAINING = 20, P_C = 21, P_RNG = 24;
export const P_STATUS = 22, P_BACKUP = 23;
export const STATUS_OK = 0, STATUS_BAD_LOSS = 1, STATUS_BAD_UPDATE = 2;
export const P_LAYERS = 32, LAYER_WORDS = 16;
export const L_NIN = 0, L_NOUT = 1, L_ACT = 2, L_P0 = 3, L_P1 = 4, L_W = 5, L_BIAS = 6;
export const L_DW = 7, L_DBIAS = 8, L_Y = 9, L_A = 10, L_SLOPE = 11, L_DSLOPE = 12;
export const L_NSLOPE = 13, L_NOISE = 14, L_DYSAVE = 15;
