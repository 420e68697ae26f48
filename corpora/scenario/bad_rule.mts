scenario y
 rules NOPE
