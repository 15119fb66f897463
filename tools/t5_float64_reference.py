#!/usr/bin/env python3
"""Recomputes the tiny t5_v1_1 model in float64 (pure Python, weights read from its safetensors)
and prints how far transformers' own f32 reference is from it: the encoder states of input 0 and
the decoder log-probs of the first six forced positions of input N (default 2). This is the
evidence behind the wider t5_v1_1 tolerance in tests/test_architectures.cpp.
Usage: tools/t5_float64_reference.py [N]   (run from the repository root)"""
import json, struct, math, sys
d='tests/data/tiny-archs/t5_v1_1/'
f=open(d+'model.safetensors','rb'); n=struct.unpack('<Q',f.read(8))[0]; h=json.loads(f.read(n)); base=8+n
data=open(d+'model.safetensors','rb').read()
def T(name):
    e=h[name]; a,b=e['data_offsets']; vals=struct.unpack('<%df'%((b-a)//4), data[base+a:base+b])
    shp=e['shape']
    if len(shp)==1: return list(vals)
    return [list(vals[i*shp[1]:(i+1)*shp[1]]) for i in range(shp[0])]
ref=json.load(open(d+'reference.json'))
ids=ref['inputs'][0]
E=T('shared.weight')
x=[list(map(float,E[i])) for i in ids]
def lin(x,W): return [[sum(r[k]*W[o][k] for k in range(len(r))) for o in range(len(W))] for r in x]
def rms(x,g,eps=1e-6):
    out=[]
    for r in x:
        v=sum(a*a for a in r)/len(r); s=1/math.sqrt(v+eps); out.append([g[i]*r[i]*s for i in range(len(r))])
    return out
def gelu(v): return 0.5*v*(1+math.tanh(math.sqrt(2/math.pi)*(v+0.044715*v**3)))
def bucket(rel, nb=8, md=20):
    b=0; nb//=2
    if rel>0: b+=nb
    rel=abs(rel); me=nb//2
    if rel<me: return b+rel
    large=me+int(math.log(rel/me)/math.log(md/me)*(nb-me)); return b+min(large,nb-1)
rb=T('encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight')
H=4; dk=8
def encoder(ids):
    x=[list(map(float,E[i])) for i in ids]; L=len(ids)
    for l in range(2):
        p='encoder.block.%d.layer.'%l
        hn=rms(x,T(p+'0.layer_norm.weight'))
        q=lin(hn,T(p+'0.SelfAttention.q.weight')); k=lin(hn,T(p+'0.SelfAttention.k.weight')); v=lin(hn,T(p+'0.SelfAttention.v.weight'))
        ctx=[[0.0]*32 for _ in range(L)]
        for hh in range(H):
            for i in range(L):
                sc=[sum(q[i][hh*dk+t]*k[j][hh*dk+t] for t in range(dk))+rb[bucket(j-i)][hh] for j in range(L)]
                m=max(sc); ex=[math.exp(s-m) for s in sc]; Z=sum(ex)
                for j in range(L):
                    for t in range(dk): ctx[i][hh*dk+t]+=ex[j]/Z*v[j][hh*dk+t]
        o=lin(ctx,T(p+'0.SelfAttention.o.weight')); x=[[x[i][j]+o[i][j] for j in range(32)] for i in range(L)]
        hn=rms(x,T(p+'1.layer_norm.weight'))
        a=lin(hn,T(p+'1.DenseReluDense.wi_0.weight')); g=lin(hn,T(p+'1.DenseReluDense.wi_1.weight'))
        m=[[gelu(a[i][j])*g[i][j] for j in range(len(a[0]))] for i in range(L)]
        o=lin(m,T(p+'1.DenseReluDense.wo.weight')); x=[[x[i][j]+o[i][j] for j in range(32)] for i in range(L)]
    return rms(x,T('encoder.final_layer_norm.weight'))
x=encoder(ids); L=len(ids)
r=ref['encoder_last_hidden_state'][0]
print('double vs torch ref', max(abs(x[i][j]-r[i][j]) for i in range(L) for j in range(32)))

def bucket_uni(rel, nb=8, md=20):
    rel=-min(rel,0); me=nb//2
    if rel<me: return rel
    return min(me+int(math.log(rel/me)/math.log(md/me)*(nb-me)), nb-1)
drb=T('decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight')
def attend(q,k,v,bias):
    Lq=len(q); Lk=len(k); ctx=[[0.0]*32 for _ in range(Lq)]
    for hh in range(H):
        for i in range(Lq):
            sc=[sum(q[i][hh*dk+t]*k[j][hh*dk+t] for t in range(dk))+bias(hh,i,j) for j in range(Lk)]
            m=max(sc); ex=[math.exp(s-m) for s in sc]; Z=sum(ex)
            for j in range(Lk):
                for t in range(dk): ctx[i][hh*dk+t]+=ex[j]/Z*v[j][hh*dk+t]
    return ctx
b=int(sys.argv[1]) if len(sys.argv)>1 else 2
enc=encoder(ref['inputs'][b])
dec=ref['forced'][b]['decoder_input_ids'][:6]
x=[list(map(float,E[i])) for i in dec]; L=len(dec)
for l in range(2):
    p='decoder.block.%d.layer.'%l
    hn=rms(x,T(p+'0.layer_norm.weight'))
    q=lin(hn,T(p+'0.SelfAttention.q.weight')); k=lin(hn,T(p+'0.SelfAttention.k.weight')); v=lin(hn,T(p+'0.SelfAttention.v.weight'))
    ctx=attend(q,k,v,lambda hh,i,j: drb[bucket_uni(j-i)][hh] if j<=i else -1e30)
    o=lin(ctx,T(p+'0.SelfAttention.o.weight')); x=[[x[i][j]+o[i][j] for j in range(32)] for i in range(L)]
    hn=rms(x,T(p+'1.layer_norm.weight'))
    q=lin(hn,T(p+'1.EncDecAttention.q.weight')); k=lin(enc,T(p+'1.EncDecAttention.k.weight')); v=lin(enc,T(p+'1.EncDecAttention.v.weight'))
    ctx=attend(q,k,v,lambda hh,i,j: 0.0)
    o=lin(ctx,T(p+'1.EncDecAttention.o.weight')); x=[[x[i][j]+o[i][j] for j in range(32)] for i in range(L)]
    hn=rms(x,T(p+'2.layer_norm.weight'))
    a=lin(hn,T(p+'2.DenseReluDense.wi_0.weight')); g=lin(hn,T(p+'2.DenseReluDense.wi_1.weight'))
    m=[[gelu(a[i][j])*g[i][j] for j in range(len(a[0]))] for i in range(L)]
    o=lin(m,T(p+'2.DenseReluDense.wo.weight')); x=[[x[i][j]+o[i][j] for j in range(32)] for i in range(L)]
x=rms(x,T('decoder.final_layer_norm.weight'))
logits=lin(x,E)
for i in range(L):
    m=max(logits[i]); Z=sum(math.exp(a-m) for a in logits[i]); lp=[a-m-math.log(Z) for a in logits[i]]
    print(i,'torch vs double %.2e'%max(abs(lp[v]-ref['forced'][b]['logprobs'][i][v]) for v in range(96)))
