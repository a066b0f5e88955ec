FROM node:24
WORKDIR /app
COPY . .
RUN npm install && npm run build
CMD ["npx", "vite", "preview", "--host", "0.0.0.0", "--port", "8080"]
