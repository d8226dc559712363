#!/usr/bin/env python3
# Draws the PNG app icons (static/icon-*.png) from the shapes of static/icon.svg (needs numpy):
#   python3 static/make-icons.py static
# Rasterizes static/icon.svg's shapes (viewBox 32) into PNG app icons, 4x4 supersampled.
import numpy as np, zlib, struct, sys
def bez(p0,p1,p2,p3,n=400):
    t=np.linspace(0,1,n)[:,None]
    return ((1-t)**3)*p0+3*((1-t)**2)*t*p1+3*(1-t)*t*t*p2+t**3*p3
def render(size, rounded, pad):
    ss=4; N=size*ss
    # sample centres in viewBox units; `pad` shrinks the drawing (maskable safe zone)
    c=(np.arange(N)+0.5)/N
    X,Y=np.meshgrid(c,c)
    bg=np.array([0,0,0x91],float); img=np.zeros((N,N,4))
    # background: full square (maskable) or rounded rect r=7/32
    u=X*32; v=Y*32
    if rounded:
        r=7; dx=np.maximum(np.maximum(r-u,u-(32-r)),0); dy=np.maximum(np.maximum(r-v,v-(32-r)),0)
        inside=dx*dx+dy*dy<=r*r
    else:
        inside=np.ones_like(u,bool)
    img[inside,:3]=bg; img[inside,3]=1
    # drawing coordinates
    s=32/(32-2*pad); du=(u-16)*s+16; dv=(v-16)*s+16
    def put(mask,alpha):
        img[mask,:3]=img[mask,:3]*(1-alpha)+255*alpha
    put((du-11)**2+(dv-13)**2<=4.5**2,1.0)
    put((du-21)**2+(dv-13)**2<=4.5**2,0.75)
    for ox in (0,10):
        p=lambda x,y: np.array([x+ox,y],float)
        a=bez(p(4,27),p(5.5,22),p(8,20),p(11,20)); b=bez(p(11,20),p(14,20),p(16.5,22),p(18,27))
        pts=np.vstack([a,b]); m=np.zeros_like(du,bool)
        for (px,py) in pts[::2]:
            m|=(du-px)**2+(dv-py)**2<=1.25**2
        put(m&inside,1.0)
    out=img.reshape(size,ss,size,ss,4).mean(axis=(1,3))
    # colour stays straight (not premultiplied) where alpha>0
    rgb=np.where(out[...,3:]>0, out[...,:3]/np.maximum(out[...,3:],1e-9), 0)
    rgba=np.concatenate([rgb,out[...,3:]*255],axis=2).clip(0,255).astype(np.uint8)
    raw=b''.join(b'\x00'+rgba[y].tobytes() for y in range(size))
    chunk=lambda t,d: struct.pack('>I',len(d))+t+d+struct.pack('>I',zlib.crc32(t+d)&0xffffffff)
    return b'\x89PNG\r\n\x1a\n'+chunk(b'IHDR',struct.pack('>IIBBBBB',size,size,8,6,0,0,0))+chunk(b'IDAT',zlib.compress(raw,9))+chunk(b'IEND',b'')
d=sys.argv[1]
open(d+'/icon-192.png','wb').write(render(192,True,0))
open(d+'/icon-512.png','wb').write(render(512,True,0))
open(d+'/icon-maskable-512.png','wb').write(render(512,False,5))
