/** Where `schema:generate` asks a subgraph to write its SDL (the process then serves nothing). */
export const SCHEMA_OUT_VARIABLE = 'MESHPLANE_SCHEMA_OUT';
