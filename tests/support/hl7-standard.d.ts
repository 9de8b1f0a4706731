declare module 'hl7-standard';
