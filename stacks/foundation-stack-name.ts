/** The foundation's stack suffix; kept apart so readers need not load the foundation's resources. */
export const FoundationStack = "foundation";
