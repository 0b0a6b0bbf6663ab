// Other modules use only this module's entities (its *.entity.ts files); nothing else here is public.
export {};
