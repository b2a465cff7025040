/** The address of one policy on the Policies page. */
export const policyPath = (id: string) => `/policies?id=${encodeURIComponent(id)}`;
